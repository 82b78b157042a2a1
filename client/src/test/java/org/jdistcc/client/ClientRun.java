package org.jdistcc.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdistcc.compiler.process.ProcessCommandRunner;

/**
 * Runs the client engine in this JVM as {@code distcc} would run for a command line: real processes,
 * empty stdin, stdout and stderr captured. The one place tests build an {@link Invocation}.
 */
final class ClientRun {
    /** How a run ended and what it printed. */
    record Result(int exit, String stdout, String stderr) {
        String describe() {
            return "exit " + exit + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
        }
    }

    private ClientRun() {
    }

    static Result run(Path cwd, Map<String, String> env, List<String> argv) throws InterruptedException {
        return run(cwd, env, argv, Clock.systemUTC());
    }

    static Result run(Path cwd, Map<String, String> env, List<String> argv, Clock clock) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Invocation inv = Invocation.inProcess(argv, cwd, env, new ByteArrayInputStream(new byte[0]), out, err, false,
                runner);
        int exit = new DistccClient(runner, clock, 4242).run(inv);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
