package org.jdistcc.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.server.job.Refusal;
import org.jdistcc.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerStatsTest {
    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock(Instant.ofEpochSecond(1_700_000_000));

    private ServerStats stats() {
        return new ServerStats(clock, 4, () -> 1, new SystemFigures(tmp.resolve("no-proc"), tmp, 4096));
    }

    private static JobReport report(JobResult result, String input, long millis) {
        return new JobReport(result, 0, "gcc", input, Duration.ofMillis(millis));
    }

    /** One connection's events as the listener and the handler send them. */
    private static void job(ServerStats stats, JobReport report) {
        stats.connected();
        stats.finished(report);
        stats.disconnected();
    }

    @Test
    void stockPageCountsConnectionsOutcomesAndTheLongestSuccessfulJob() {
        ServerStats stats = stats();
        job(stats, report(JobResult.COMPILE_OK, "a.c", 40));
        job(stats, report(JobResult.COMPILE_OK, "b.c", 90));
        job(stats, report(JobResult.COMPILE_ERROR, "c.c", 500));
        job(stats, report(JobResult.REJ_BAD_REQ, "d.c", 1).withRefusal(Refusal.COMPILER));
        stats.connected();
        stats.refused(Refusal.ACCESS);
        stats.disconnected();

        Map<String, String> page = StatsPage.parse(stats.page().render());

        assertThat(page).containsEntry("dcc_tcp_accept", "5").containsEntry("dcc_compile_ok", "2")
                .containsEntry("dcc_compile_error", "1").containsEntry("dcc_rej_bad_req", "1")
                .containsEntry("dcc_longest_job", "b.c").containsEntry("dcc_longest_job_compiler", "gcc")
                .containsEntry("dcc_longest_job_time_msecs", "90").containsEntry("dcc_max_kids", "4");
    }

    @Test
    void beforeAnyJobTheLongestJobIsNoneAndTheDiskRateUnknown() {
        Map<String, String> page = StatsPage.parse(stats().page().render());

        assertThat(page).containsEntry("dcc_longest_job", "none").containsEntry("dcc_longest_job_compiler", "none")
                .containsEntry("dcc_longest_job_time_msecs", "-1").containsEntry("dcc_io_rate", "-1");
    }

    @Test
    void metricsCountOutcomesRefusalsByReasonBytesAndTimes() {
        ServerStats stats = stats();
        stats.connected();
        stats.bytesReceived(100);
        stats.requestRead(new Request.Plain(ProtocolVersion.V2, List.of("gcc", "-c", "x.c"), new byte[300]));
        stats.slotAcquired(Duration.ofMillis(3));
        stats.compilerRan(Duration.ofMillis(700));
        stats.replySent(new Response(ProtocolVersion.V2, 0, new byte[5], new byte[0], new byte[1000], null));
        stats.bytesSent(400);
        stats.finished(report(JobResult.COMPILE_OK, "x.c", 710));
        job(stats, report(JobResult.REJ_BAD_REQ, "(none)", 1));
        job(stats, report(JobResult.REJ_BAD_REQ, "y.c", 1).withRefusal(Refusal.ARGUMENTS));

        String metrics = stats.metrics();

        assertThat(metrics).contains("distccd_connections_total 3\n", "distccd_jobs_total{outcome=\"compile_ok\"} 1\n",
                "distccd_jobs_total{outcome=\"rej_bad_req\"} 2\n", "distccd_refusals_total{reason=\"bad_request\"} 1\n",
                "distccd_refusals_total{reason=\"arguments\"} 1\n", "distccd_refusals_total{reason=\"access\"} 0\n",
                "distccd_received_bytes_total 100\n", "distccd_received_uncompressed_body_bytes_total 300\n",
                "distccd_sent_bytes_total 400\n", "distccd_sent_uncompressed_body_bytes_total 1005\n",
                "distccd_queue_wait_seconds_bucket{le=\"0.005\"} 1\n", "distccd_queue_wait_seconds_count 1\n",
                "distccd_compile_seconds_bucket{le=\"0.5\"} 0\n", "distccd_compile_seconds_bucket{le=\"1\"} 1\n",
                "distccd_jobs_in_flight 1\n", "distccd_compilers_running 1\n", "distccd_job_slots 4\n");
    }

    @Test
    void promtoolAcceptsTheMetricsPage() throws IOException, InterruptedException {
        ServerStats stats = stats();
        job(stats, report(JobResult.COMPILE_OK, "a.c", 40));
        stats.slotAcquired(Duration.ofMillis(2));
        stats.compilerRan(Duration.ofSeconds(2));
        Path file = tmp.resolve("metrics.txt");
        Files.writeString(file, stats.metrics());

        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(promtool.getInputStream().readAllBytes());

        assertThat(promtool.exitValue()).as(output).isZero();
        assertThat(output).as("promtool lint findings").isBlank();
    }

    @Test
    void finishedCompilesShowInTheRecentCountsOnceTheirSlotIsOver() {
        ServerStats stats = stats();
        job(stats, report(JobResult.COMPILE_OK, "a.c", 40));
        job(stats, report(JobResult.COMPILE_ERROR, "b.c", 40));
        job(stats, report(JobResult.REJ_BAD_REQ, "c.c", 1));
        clock.advance(Duration.ofSeconds(3));

        Map<String, String> page = StatsPage.parse(stats.page().render());

        assertThat(page).containsEntry("dcc_num_compiles1", "2").containsEntry("dcc_num_compiles3", "2");
    }
}
