package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdistcc.client.schedule.SleepingPause;
import org.jdistcc.client.state.ClientMetrics;
import org.jdistcc.client.state.Fallback;
import org.jdistcc.client.state.FallbackLog;
import org.jdistcc.client.state.Monitoring;
import org.jdistcc.client.state.Outcome;
import org.jdistcc.compiler.process.ProcessCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine reports to the monitoring, with real gcc and no server: where each job's result
 * came from, fallbacks with their reasons in the log, backoffs, and no state file left behind.
 */
class JobMonitoringTest {
    @TempDir
    Path tmp;

    private Path distccDir;
    private Map<String, String> env;
    private final Monitoring monitoring = new Monitoring(Clock.systemUTC(), new ClientMetrics(0));

    @BeforeEach
    void setUp() throws IOException {
        distccDir = Files.createDirectory(tmp.resolve("distcc-dir"));
        Files.writeString(tmp.resolve("a.c"), "int a(void) { return 1; }\n");
        env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.toString(), "DISTCC_DIR",
                distccDir.toString(), "TMPDIR", tmp.toString()));
    }

    private int run(String... argv) throws InterruptedException {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Invocation inv = new Invocation(List.of(argv), tmp, env, new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), -1, Invocation.inProcess(List.of(argv), tmp, env,
                        new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                        new ByteArrayOutputStream(), false, runner).here(), 31337);
        return new DistccClient(runner, Clock.systemUTC(), 4242, new SleepingPause(), monitoring).run(inv);
    }

    private static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aJobOnLocalhostCountsAsLocalAndLeavesNoStateFile() throws Exception {
        env.put("DISTCC_HOSTS", "localhost");

        assertThat(run("distcc", "gcc", "-c", "a.c", "-o", "a.o")).isZero();

        assertThat(monitoring.metrics().jobs(Outcome.LOCAL)).isEqualTo(1);
        assertThat(distccDir.resolve("state/binstate_31337")).doesNotExist();
        assertThat(monitoring.metrics().exposition()).contains("jdistcc_client_jobs_in_flight 0\n");
    }

    @Test
    void aRefusedHostIsBackedOffAndTheFallbackIsLoggedWithItsReason() throws Exception {
        int port = refusedPort();
        env.put("DISTCC_HOSTS", "127.0.0.1:" + port);

        assertThat(run("distcc", "gcc", "-c", "a.c", "-o", "a.o")).isZero();

        assertThat(monitoring.metrics().jobs(Outcome.FALLBACK)).isEqualTo(1);
        String text = monitoring.metrics().exposition();
        assertThat(text).contains("jdistcc_client_fallbacks_total{reason=\"connect_failed\"} 1\n",
                "jdistcc_client_host_backoffs_total{host=\"127.0.0.1:" + port + "\"} 1\n");
        assertThat(FallbackLog.under(distccDir).recent(5)).singleElement().satisfies(f -> {
            assertThat(f.pid()).isEqualTo(31337);
            assertThat(f.file()).isEqualTo("a.c");
            assertThat(f.reason()).isEqualTo("connect_failed");
            assertThat(f.why()).contains("127.0.0.1:" + port).contains("connect failed");
        });
        assertThat(distccDir.resolve("state/binstate_31337")).doesNotExist();
    }

    @Test
    void noHostListIsAFallbackOfItsOwnKind() throws Exception {
        env.put("DISTCC_HOSTS", ""); // set but empty: no hosts, whatever /etc/distcc/hosts says
        assertThat(run("distcc", "gcc", "-c", "a.c", "-o", "a.o")).isZero();

        assertThat(FallbackLog.under(distccDir).recent(5)).extracting(Fallback::reason).containsExactly("no_host_list");
    }

    @Test
    void aLinkIsLocalByNature() throws Exception {
        env.put("DISTCC_HOSTS", "127.0.0.1:1");
        assertThat(run("distcc", "gcc", "-c", "a.c", "-o", "a.o")).isZero();
        Files.writeString(tmp.resolve("m.c"), "int main(void) { return 0; }\n");

        run("distcc", "gcc", "m.c", "-o", "m");

        assertThat(monitoring.metrics().jobs(Outcome.LOCAL)).isEqualTo(1);
    }
}
