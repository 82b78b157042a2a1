package org.jdistcc.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jdistcc.client.state.Fallback;
import org.jdistcc.client.state.Phase;
import org.jdistcc.client.state.StateEntry;
import org.jdistcc.client.state.TaskState;
import org.junit.jupiter.api.Test;

class TopViewTest {
    private static final Instant NOW = Instant.parse("2026-11-27T13:10:00Z");

    private static StateEntry job(long pid, String file, String host, int slot, Phase phase, long secondsAgo) {
        return new StateEntry(new TaskState(pid, file, host, slot, phase), NOW.minusSeconds(secondsAgo));
    }

    private static final List<HostRow> HOSTS = List.of(
            new HostRow("10.0.0.5:3632/4,lzo", "10.0.0.5", 4, false, false),
            new HostRow("10.0.0.6/2", "10.0.0.6", 2, true, false),
            new HostRow("localhost (this machine)", "localhost", 4, false, false));

    @Test
    void rendersHostsJobsAndFallbacks() {
        TopSnapshot s = new TopSnapshot(NOW, "/home/u/.distcc", HOSTS, "", List.of(
                job(101, "alpha.c", "10.0.0.5", 0, Phase.COMPILE, 3),
                job(102, "beta.c", "10.0.0.5", 1, Phase.SEND, 0),
                job(103, "gamma.c", "localhost", 0, Phase.CPP, 1),
                job(104, "delta.c", "", 0, Phase.BLOCKED, 75)),
                List.of(new Fallback(NOW.minusSeconds(30), 99, "connect_failed", "old.c",
                        "10.0.0.6/2: connect failed: Connection refused")));

        assertThat(TopView.render(s, 100, 30, ZoneOffset.UTC)).isEqualTo("""
                jdistcc top  /home/u/.distcc  13:10:00  4 jobs in flight, 1 waiting for a slot

                HOST                             SLOTS IN USE             STATE
                10.0.0.5:3632/4,lzo              [##..] 2/4
                10.0.0.6/2                       [..] 0/2                 backed off
                localhost (this machine)         [#...] 1/4

                    PID  PHASE       HOST[SLOT]                 TIME  FILE
                    101  Compile     10.0.0.5[0]                  3s  alpha.c
                    102  Send        10.0.0.5[1]                  0s  beta.c
                    103  Preprocess  localhost[0]                 1s  gamma.c
                    104  Blocked     -                         1m15s  delta.c

                RECENT FALLBACKS
                13:09:30  old.c  connect_failed: 10.0.0.6/2: connect failed: Connection refused
                """);
    }

    @Test
    void everyLineFitsTheWidthAndTheScreenItsHeight() {
        List<StateEntry> jobs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            jobs.add(job(1000 + i, "file" + i + ".c", "10.0.0.5", i, Phase.COMPILE, i));
        }
        List<Fallback> fallbacks = List.of(new Fallback(NOW, 1, "io_error", "x.c", "w".repeat(300)));
        String screen = TopView.render(new TopSnapshot(NOW, "/d", HOSTS, "", jobs, fallbacks), 60, 20, ZoneOffset.UTC);

        List<String> lines = screen.lines().toList();
        assertThat(lines).hasSize(20).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("... and"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("RECENT FALLBACKS"));

        List<String> short_ = TopView.render(new TopSnapshot(NOW, "/d", HOSTS, "", jobs, fallbacks), 60, 12,
                ZoneOffset.UTC).lines().toList();
        assertThat(short_).as("a short screen keeps jobs before fallbacks").hasSize(12)
                .noneSatisfy(l -> assertThat(l).contains("RECENT FALLBACKS"))
                .anySatisfy(l -> assertThat(l).contains("1000  Compile"));
    }

    @Test
    void hostsOnlyTheStateFilesNameGetARowOfTheirOwn() {
        TopSnapshot s = new TopSnapshot(NOW, "/d", List.of(), "none set",
                List.of(job(7, "a.c", "192.168.1.9", 0, Phase.COMPILE, 2)), List.of());
        String screen = TopView.render(s, 100, 30, ZoneOffset.UTC);
        assertThat(screen).contains("192.168.1.9                      1/?                      not in host list")
                .contains("(host list: none set)");
    }

    @Test
    void noJobsSaysSo() {
        String screen = TopView.render(new TopSnapshot(NOW, "/d", HOSTS, "", List.of(), List.of()), 80, 24,
                ZoneOffset.UTC);
        assertThat(screen).contains("0 jobs in flight").contains("(no jobs in flight)");
    }

    @Test
    void timesInAPhaseAreShort() {
        assertThat(TopView.elapsed(Duration.ofSeconds(-3))).isEqualTo("0s");
        assertThat(TopView.elapsed(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(TopView.elapsed(Duration.ofSeconds(65))).isEqualTo("1m05s");
        assertThat(TopView.elapsed(Duration.ofSeconds(7380))).isEqualTo("2h03m");
    }
}
