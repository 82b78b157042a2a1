package org.jdistcc.compiler.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCommandRunnerTest {
    @TempDir
    Path dir;
    final ProcessCommandRunner runner = new ProcessCommandRunner();
    final Map<String, String> env = Map.of("PATH", "/usr/bin:/bin");

    private Command sh(String script, Duration lifetime) {
        return Command.toFiles(List.of("/bin/sh", "-c", script), dir, env, dir.resolve("out"), dir.resolve("err"),
                lifetime);
    }

    @Test
    void exitCodeBecomesAWaitStatus() throws Exception {
        assertThat(runner.run(sh("exit 0", Duration.ZERO), () -> false)).isEqualTo(Outcome.exited(0));
        Outcome failed = runner.run(sh("exit 3", Duration.ZERO), () -> false);
        assertThat(failed.waitStatus()).isEqualTo(3 << 8);
        assertThat(failed.succeeded()).isFalse();
    }

    @Test
    void deathBySignalIsReportedAsTheSignal() throws Exception {
        Outcome o = runner.run(sh("kill -SEGV $$", Duration.ZERO), () -> false);
        assertThat(o.waitStatus()).isEqualTo(11);
        assertThat(o.ending()).isEqualTo(Outcome.Ending.EXITED);
    }

    @Test
    void filesReceiveStdoutAndAppendedStderr() throws Exception {
        Files.writeString(dir.resolve("err"), "server says hi\n");
        runner.run(sh("echo out; echo err >&2", Duration.ZERO), () -> false);
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("out\n");
        assertThat(Files.readString(dir.resolve("err"))).isEqualTo("server says hi\nerr\n");
    }

    @Test
    void streamsAreCopiedBothWays() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Command cmd = new Command(List.of("/bin/sh", "-c", "tr a-z A-Z; echo done >&2"), dir, env,
                new Command.Input.From(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8))),
                new Command.Output.To(out), new Command.Output.To(err), Duration.ZERO);
        assertThat(runner.run(cmd, () -> false).succeeded()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("HELLO\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
    }

    @Test
    void processPastItsLifetimeIsKilledWithItsChildren() throws Exception {
        Outcome o = runner.run(sh("sleep 30 & echo $! > child; wait", Duration.ofMillis(300)), () -> false);
        assertThat(o.ending()).isEqualTo(Outcome.Ending.TIMED_OUT);
        long child = Long.parseLong(Files.readString(dir.resolve("child")).trim());
        for (int i = 0; i < 100 && running(child); i++) {
            Thread.sleep(20);
        }
        assertThat(running(child)).isFalse();
    }

    /** Alive and not a zombie (an orphan's zombie lingers where nothing reaps it, as in containers). */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void cancellationKillsTheProcess() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Outcome o = runner.run(sh("sleep 30", Duration.ZERO), () -> polls.incrementAndGet() > 2);
        assertThat(o.ending()).isEqualTo(Outcome.Ending.CANCELLED);
    }
}
