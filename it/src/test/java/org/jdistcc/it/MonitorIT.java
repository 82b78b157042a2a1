package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RunningProcess;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.testing.StockDistccd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Monitoring across implementations, with a stock distccd on loopback whose compiler, {@code slowcc},
 * sleeps before it compiles (allowed through DISTCC_CMDLIST; it does not sleep for the client's
 * {@code -E}): the stock monitor lists a job of our client while it runs and ours lists a stock
 * client's; the agent's metrics add up to the jobs run and pass {@code promtool check metrics};
 * the live view in a real terminal (tmux) shows the jobs of a {@code make -j4} in flight.
 */
class MonitorIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private Scratch scratch;
    private StockDistccd server;
    private Path work;
    private Path distccDir;
    private Path slowcc;
    private Path sleepFile;
    private final List<String> tmuxSockets = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        scratch = Scratch.create("monitor");
        sleepFile = scratch.write("sleep", "3\n");
        slowcc = scratch.script("bin/slowcc", """
                #!/bin/sh
                case " $* " in *" -E "*) ;; *) sleep "$(cat %s)" ;; esac
                exec gcc "$@"
                """.formatted(sleepFile));
        Path cmdlist = scratch.write("cmdlist", slowcc + "\n");
        Map<String, String> serverEnv = new HashMap<>(Processes.baseEnvironment(scratch.dir("server")));
        serverEnv.put("DISTCC_CMDLIST", cmdlist.toString());
        server = StockDistccd.start(Path.of("/usr/bin/distccd"), scratch.dir("server"), serverEnv,
                Duration.ofSeconds(170));
        work = scratch.dir("work");
        distccDir = scratch.dir("distcc-dir");
        scratch.write("work/t.c", "int t(void) { return 42; }\n");
    }

    @AfterEach
    void tearDown() {
        for (String socket : tmuxSockets) {
            Processes.run(List.of("tmux", "-L", socket, "kill-server"), work, Processes.baseEnvironment(work));
        }
        Agents.killUnder(scratch.root());
        if (server != null) {
            server.close();
        }
        scratch.close();
    }

    private static Path home() {
        String home = System.getProperty("jdistcc.home");
        assertThat(home).as("system property jdistcc.home (run through mvn verify)").isNotNull();
        return Path.of(home);
    }

    private Map<String, String> clientEnv(String hosts) {
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(scratch.dir("home")));
        env.put("DISTCC_DIR", distccDir.toString());
        env.put("DISTCC_HOSTS", hosts);
        env.put("TMPDIR", scratch.dir("tmp").toString());
        for (String name : List.of("JDISTCC_JAVA_HOME", "JAVA_HOME")) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        return env;
    }

    private String hosts() {
        return "127.0.0.1:" + server.port() + "/4";
    }

    private String monitor(Path command, String... args) {
        List<String> c = new ArrayList<>(List.of(command.toString()));
        c.addAll(List.of(args));
        ProcessResult r = Processes.run(c, work, clientEnv(hosts()));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r.stdout();
    }

    /** Polls {@code monitor} until a line shows {@code pid} compiling t.c on the server's slot 0; returns it. */
    private String awaitCompileLine(Path monitor, long pid, RunningProcess job) {
        Pattern line = Pattern.compile("(?m)^ *" + pid + "  Compile     t\\.c +127\\.0\\.0\\.1\\[0\\]$");
        String[] seen = {""};
        Poll.until(BOUND, () -> {
            seen[0] = monitor(monitor);
            return line.matcher(seen[0]).find() || !job.isAlive();
        }, () -> "no Compile line for " + pid + "; last output:\n" + seen[0]);
        Matcher m = line.matcher(seen[0]);
        assertThat(m.find()).as("the job ended before %s listed it; last output:%n%s", monitor, seen[0]).isTrue();
        return m.group();
    }

    @Test
    void stockDistccmonTextListsAJobOfOurClientWhileItRuns() throws IOException {
        try (RunningProcess job = RunningProcess.start(List.of(home().resolve("bin/distcc").toString(),
                slowcc.toString(), "-c", "t.c", "-o", "t.o"), work, clientEnv(hosts()))) {
            // the state file is named for the front-end make started, not for the agent
            String line = awaitCompileLine(Path.of("/usr/bin/distccmon-text"), job.pid(), job);

            assertThat(line).endsWith("127.0.0.1[0]");
            ProcessResult r = job.await(BOUND);
            assertThat(r.exitCode()).as(r.describe()).isZero();
        }
        assertThat(work.resolve("t.o")).isNotEmptyFile();
        assertThat(Scratch.contents(distccDir.resolve("state"))).noneMatch(f -> f.startsWith("binstate_"));
        assertThat(monitor(Path.of("/usr/bin/distccmon-text"))).isEqualTo("\n");
    }

    @Test
    void ourDistccmonTextListsAStockClientsJobWhileItRuns() {
        try (RunningProcess job = RunningProcess.start(List.of("/usr/bin/distcc", slowcc.toString(), "-c", "t.c",
                "-o", "t.o"), work, clientEnv(hosts()))) {
            String ours = awaitCompileLine(home().resolve("bin/distccmon-text"), job.pid(), job);

            assertThat(ours).isEqualTo(String.format("%6d  %-10s  %-30s %24s[0]", job.pid(), "Compile", "t.c",
                    "127.0.0.1"));
            ProcessResult r = job.await(BOUND);
            assertThat(r.exitCode()).as(r.describe()).isZero();
        }
    }

    @Test
    void agentMetricsAddUpToTheJobsRunAndPassPromtool() throws IOException {
        Files.writeString(sleepFile, "0\n");
        scratch.write("work/m.c", "int main(void) { return 0; }\n");
        Path distcc = home().resolve("bin/distcc");
        List<List<String>> jobs = List.of(
                List.of(distcc.toString(), slowcc.toString(), "-c", "t.c", "-o", "r1.o"),
                List.of(distcc.toString(), slowcc.toString(), "-c", "t.c", "-o", "r2.o"),
                List.of(distcc.toString(), slowcc.toString(), "-c", "t.c", "-o", "r3.o"),
                List.of(distcc.toString(), "gcc", "m.o", "-o", "m"));
        for (List<String> j : jobs.subList(0, 3)) {
            ProcessResult r = Processes.run(j, work, clientEnv(hosts()));
            assertThat(r.exitCode()).as(r.describe()).isZero();
        }
        ProcessResult compileMain = Processes.run(List.of(distcc.toString(), "gcc", "-c", "m.c", "-o", "m.o"), work,
                clientEnv("127.0.0.1:1"));
        assertThat(compileMain.exitCode()).as(compileMain.describe()).isZero();
        ProcessResult link = Processes.run(jobs.get(3), work, clientEnv(hosts()));
        assertThat(link.exitCode()).as(link.describe()).isZero();

        Path metricsFile = distccDir.resolve("metrics/jdistcc-client.prom");
        String[] text = {""};
        Poll.until(BOUND, () -> {
            text[0] = Files.exists(metricsFile) ? monitor(home().resolve("bin/distccmon-text"), "--metrics") : "";
            return sum(text[0], "jdistcc_client_jobs_total") == 5;
        }, () -> "the metrics do not count 5 jobs:\n" + text[0]);
        assertThat(text[0]).contains("jdistcc_client_jobs_total{outcome=\"remote\"} 3\n",
                "jdistcc_client_jobs_total{outcome=\"fallback\"} 1\n",
                "jdistcc_client_jobs_total{outcome=\"local\"} 1\n",
                "jdistcc_client_fallbacks_total{reason=\"connect_failed\"} 1\n",
                "jdistcc_client_host_backoffs_total{host=\"127.0.0.1:1\"} 1\n",
                "jdistcc_client_jobs_in_flight 0\n");
        assertThat(sum(text[0], "jdistcc_client_fallbacks_total")).isEqualTo(1);
        assertThat(sum(text[0], "jdistcc_client_sent_bytes_total")).isPositive();
        assertThat(sum(text[0], "jdistcc_client_received_bytes_total")).isPositive();

        Path copy = scratch.write("metrics.prom", text[0]);
        ProcessResult promtool = Processes.run(List.of("sh", "-c", "promtool check metrics < " + copy), work,
                Processes.baseEnvironment(work));
        assertThat(promtool.exitCode()).as(promtool.describe()).isZero();
        assertThat(promtool.stdout() + promtool.stderr()).doesNotContain("problem");
    }

    /** The sum of a metric's samples in exposition text. */
    private static long sum(String text, String metric) {
        return text.lines().filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void theLiveViewShowsAMakeJ4BuildsJobsInFlight() throws IOException {
        Files.writeString(sleepFile, "1\n");
        StringBuilder make = new StringBuilder("OBJS =");
        for (int i = 1; i <= 20; i++) {
            String name = String.format("unit%02d", i);
            scratch.write("work/" + name + ".c", "int " + name + "(void) { return " + i + "; }\n");
            make.append(' ').append(name).append(".o");
        }
        make.append("\nall: $(OBJS)\n%.o: %.c\n\t$(CC) -c $< -o $@\n");
        scratch.write("work/Makefile", make.toString());
        String socket = "jdistcc-monitor-it-" + ProcessHandle.current().pid();
        tmuxSockets.add(socket);
        StringBuilder view = new StringBuilder("env");
        clientEnv(hosts()).forEach((k, v) -> view.append(' ').append(k).append('=').append(v));
        view.append(' ').append(home().resolve("bin/distcc-top")).append(" 0.5");
        ProcessResult tmux = Processes.run(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                "-x", "120", "-y", "30", "-s", "top", view.toString()), work, Processes.baseEnvironment(work));
        assertThat(tmux.exitCode()).as(tmux.describe()).isZero();

        try (RunningProcess build = RunningProcess.start(List.of("make", "-j4",
                "CC=" + home().resolve("bin/distcc") + " " + slowcc), work, clientEnv(hosts()))) {
            String[] screen = {""};
            Poll.until(BOUND, () -> {
                screen[0] = Processes.run(List.of("tmux", "-L", socket, "capture-pane", "-p", "-t", "top"), work,
                        Processes.baseEnvironment(work)).stdout();
                return screen[0].lines().filter(l -> l.matches(" *\\d+  (Connect|Send|Compile|Receive) .*unit\\d\\d\\.c"))
                        .count() >= 2 && screen[0].contains("127.0.0.1:" + server.port() + "/4");
            }, () -> "the live view never showed two jobs in flight; last screen:\n" + screen[0]);
            Files.writeString(Path.of("target", "monitor-live-view.txt"), screen[0], StandardCharsets.UTF_8);
            assertThat(screen[0]).contains("jdistcc top  " + distccDir).contains("HOST").contains("PID  PHASE");
            ProcessResult r = build.await(Duration.ofSeconds(150));
            assertThat(r.exitCode()).as(r.describe()).isZero();
        }
        for (int i = 1; i <= 20; i++) {
            assertThat(work.resolve(String.format("unit%02d.o", i))).isNotEmptyFile();
        }
    }
}
