package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.server.stats.StatsPage;
import org.jdistcc.testing.StockDistccd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --stats}: our page has stock distccd's fields in stock order, read by the same parser from
 * both daemons; after a small build by the stock client the counters of both pages add up to the
 * jobs run; and promtool accepts {@code /metrics}.
 */
class StatsPageIT {
    private Scratch scratch;
    private Path work;

    @BeforeEach
    void createWorkspace() {
        scratch = Scratch.create("stats");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
    }

    @AfterEach
    void removeWorkspace() {
        scratch.close();
    }

    /** Connects to 127.0.0.1:port, sends {@code request} (maybe nothing), reads until the server closes. */
    private static String fetch(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The stats page of the daemon on {@code port}, waiting (bounded) until it answers. */
    private static String awaitPage(int port) {
        String[] page = {""};
        Poll.until(Duration.ofSeconds(20), () -> {
            try {
                page[0] = fetch(port, "");
            } catch (IOException e) {
                return false;
            }
            return page[0].contains("</distccstats>");
        }, () -> "no stats page on port " + port);
        return page[0];
    }

    @Test
    void ourStatsPageHasStockDistccdsHeaderFieldsAndOrder() throws Exception {
        int stockStatsPort = StockDistccd.freeLoopbackPort();
        try (StockDistccd stock = StockDistccd.start(Path.of("/usr/bin/distccd"), scratch.dir("stock"),
                Processes.baseEnvironment(scratch.dir("stock")), Duration.ofSeconds(100),
                List.of("--stats", "--stats-port", Integer.toString(stockStatsPort)));
             InProcessDistccd ours = InProcessDistccd.start(scratch.dir("ours-tmp"), "--stats", "--stats-port", "0")) {
            String stockPage = awaitPage(stockStatsPort);
            String ourPage = awaitPage(ours.statsPort());

            Map<String, String> stockFields = StatsPage.parse(stockPage);
            Map<String, String> ourFields = StatsPage.parse(ourPage);

            assertThat(List.copyOf(ourFields.keySet())).isEqualTo(List.copyOf(stockFields.keySet()));
            assertThat(ourPage.substring(0, ourPage.indexOf("<distccstats>")))
                    .isEqualTo(stockPage.substring(0, stockPage.indexOf("<distccstats>")));
            for (Map<String, String> fields : List.of(stockFields, ourFields)) {
                assertThat(fields.get("dcc_longest_job")).isEqualTo("none");
                assertThat(fields.get("dcc_longest_job_time_msecs")).isEqualTo("-1");
                assertThat(fields.get("dcc_load1")).matches("\\d+\\.\\d\\d");
                assertThat(fields.get("dcc_free_space")).matches("-?\\d+ MB");
                assertThat(fields.get("dcc_max_RSS_name")).startsWith("(");
            }
        }
    }

    @Test
    void countersOfBothPagesAddUpToTheJobsOfASmallBuildAndPromtoolAcceptsMetrics() throws Exception {
        for (int i = 0; i < 8; i++) {
            scratch.write("work/unit" + i + ".c", Sources.unit(i));
        }
        scratch.write("work/broken.c", "int broken(void) { return undeclared; }\n");
        Path toolchain = scratch.dir("toolchain/bin");
        Files.createSymbolicLink(toolchain.resolve("gcc"), Path.of("/usr/bin/gcc"));
        try (InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"), "--stats", "--stats-port",
                "0", "--jobs", "2")) {
            StockDistcc client = StockDistcc.toHosts(server.hostSpec(",lzo"), scratch.dir("client"));
            for (int i = 0; i < 8; i++) {
                ProcessResult r = client.run(work, "gcc", "-c", "unit" + i + ".c", "-o", "unit" + i + ".o");
                assertThat(r.exitCode()).as(r.describe()).isZero();
            }
            ProcessResult error = client.run(work, "gcc", "-c", "broken.c", "-o", "broken.o");
            assertThat(error.exitCode()).as(error.describe()).isNotZero();
            // refused by the compiler allow-list; its own client state, as the refusal backs the host off
            ProcessResult refused = StockDistcc.toHosts(server.hostSpec(",lzo"), scratch.dir("refused-client"))
                    .run(work, toolchain.resolve("gcc").toString(), "-c", "hello.c", "-o", "hello.o");
            assertThat(refused.exitCode()).as(refused.describe()).isZero();
            server.awaitReports(10);
            assertThat(server.reports(JobResult.COMPILE_OK)).hasSize(8);

            Map<String, String> page = StatsPage.parse(awaitPage(server.statsPort()));
            assertThat(page).containsEntry("dcc_tcp_accept", "10").containsEntry("dcc_compile_ok", "8")
                    .containsEntry("dcc_compile_error", "1").containsEntry("dcc_rej_bad_req", "1")
                    .containsEntry("dcc_compile_timeout", "0").containsEntry("dcc_cli_disconnect", "0")
                    .containsEntry("dcc_other", "0").containsEntry("dcc_max_kids", "2");
            assertThat(page.get("dcc_longest_job")).matches("unit\\d\\.c");

            String reply = fetch(server.statsPort(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(reply).startsWith("HTTP/1.0 200 OK\r\n");
            String metrics = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            Map<String, Double> samples = samples(metrics);
            assertThat(samples).containsEntry("distccd_connections_total", 10.0)
                    .containsEntry("distccd_jobs_total{outcome=\"compile_ok\"}", 8.0)
                    .containsEntry("distccd_jobs_total{outcome=\"compile_error\"}", 1.0)
                    .containsEntry("distccd_jobs_total{outcome=\"rej_bad_req\"}", 1.0)
                    .containsEntry("distccd_refusals_total{reason=\"compiler\"}", 1.0)
                    .containsEntry("distccd_refusals_total{reason=\"access\"}", 0.0)
                    .containsEntry("distccd_compile_seconds_count", 9.0)
                    .containsEntry("distccd_queue_wait_seconds_count", 9.0)
                    .containsEntry("distccd_jobs_in_flight", 0.0);
            double jobs = samples.entrySet().stream().filter(e -> e.getKey().startsWith("distccd_jobs_total{"))
                    .mapToDouble(Map.Entry::getValue).sum();
            assertThat(jobs).isEqualTo(10.0);
            // LZO: what came over the wire is smaller than the preprocessed sources it carried
            assertThat(samples.get("distccd_received_bytes_total"))
                    .isLessThan(samples.get("distccd_received_uncompressed_body_bytes_total"));
            assertThat(samples.get("distccd_sent_uncompressed_body_bytes_total")).isPositive();
            assertPromtoolAccepts(metrics);
        }
    }

    /** Sample name with labels, to value; comments skipped. */
    private static Map<String, Double> samples(String metrics) {
        Map<String, Double> samples = new java.util.LinkedHashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    private void assertPromtoolAccepts(String metrics) throws IOException, InterruptedException {
        Path file = scratch.write("metrics.txt", metrics);
        List<String> command = new ArrayList<>(List.of("promtool", "check", "metrics"));
        Process p = new ProcessBuilder(command).redirectInput(file.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as("promtool findings").isBlank();
    }
}
