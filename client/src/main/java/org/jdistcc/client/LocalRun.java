package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;
import org.jdistcc.protocol.ExitCode;

/**
 * Runs a command on this machine as the caller would have: the caller's streams, directory and
 * environment (with the recursion guard raised), the program looked up on the caller's PATH. Its
 * exit status is distcc's: the program's own, 128 + the signal that killed it, or 110 when it cannot
 * be found.
 */
final class LocalRun {
    private final CommandRunner runner;
    private final ClientLog log;

    LocalRun(CommandRunner runner, ClientLog log) {
        this.runner = runner;
        this.log = log;
    }

    /** Runs {@code argv} with the caller's standard streams. */
    int run(List<String> argv, Invocation inv, Map<String, String> env) throws InterruptedException {
        Command.Input in = inv.inheritStdio() ? new Command.Input.Inherit() : new Command.Input.From(inv.stdin());
        Command.Output out = inv.inheritStdio() ? new Command.Output.Inherit() : new Command.Output.To(inv.stdout());
        Command.Output err = inv.inheritStdio() ? new Command.Output.Inherit() : new Command.Output.To(inv.stderr());
        return run(argv, inv.cwd(), env, in, out, err);
    }

    /** Runs {@code argv} with the given streams. */
    int run(List<String> argv, Path cwd, Map<String, String> env, Command.Input in, Command.Output out,
            Command.Output err) throws InterruptedException {
        Optional<Path> program = CompilerNames.which(argv.get(0), env.getOrDefault("PATH", ""), cwd);
        if (program.isEmpty()) {
            log.error("dcc_execvp", "failed to exec " + argv.get(0) + ": No such file or directory");
            return ExitCode.COMPILER_MISSING.code();
        }
        List<String> resolved = new ArrayList<>(argv);
        resolved.set(0, program.get().toString());
        try {
            Outcome o = runner.run(new Command(resolved, cwd, env, in, out, err, Duration.ZERO), () -> false);
            return exitStatus(o.waitStatus());
        } catch (IOException e) {
            log.error("dcc_execvp", "failed to exec " + argv.get(0) + ": " + e.getMessage());
            return ExitCode.COMPILER_MISSING.code();
        }
    }

    /** A wait status as a process exit status: the exit code, or 128 + the signal. */
    static int exitStatus(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal != 0 ? 128 + signal : (waitStatus >> 8) & 0xff;
    }
}
