package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdistcc.protocol.ExitCode;

/**
 * Runs a command on this machine as the caller would have: the caller's streams, directory and
 * environment (with the recursion guard raised), the program looked up on the caller's PATH. Its
 * exit status is distcc's: the program's own, 128 + the signal that killed it, or 110 when it cannot
 * be found.
 */
final class LocalRun {
    private final ClientLog log;
    private final DirectPreprocessor direct;

    LocalRun(ClientLog log, DirectPreprocessor direct) {
        this.log = log;
        this.direct = direct;
    }

    /** Runs the whole command {@code argv} where the caller is, with the caller's streams. */
    int run(List<String> argv, Invocation inv, Map<String, String> env) throws InterruptedException {
        return exitOf(argv, () -> inv.here().run(argv, env));
    }

    /**
     * Runs the preprocessor {@code argv} (the driver with {@code -E}, source {@code input}) where the
     * caller is, its output into {@code output}: gcc's preprocessor proper when {@link DirectPreprocessor}
     * knows it for this shape of job.
     */
    int runInto(Path output, List<String> argv, String input, Invocation inv, Map<String, String> env)
            throws InterruptedException {
        Optional<DirectPreprocessor.Direct> d = direct.lookup(argv, input, inv.cwd(), env);
        if (d.isPresent()) {
            log.debug("dcc_cpp_maybe", "running the preprocessor directly: " + d.get().argv());
            return exitOf(d.get().argv(), () -> inv.here().runInto(output, d.get().argv(), d.get().env()));
        }
        return exitOf(argv, () -> inv.here().runInto(output, argv, env));
    }

    private interface Run {
        int waitStatus() throws IOException, InterruptedException;
    }

    private int exitOf(List<String> argv, Run run) throws InterruptedException {
        try {
            return exitStatus(run.waitStatus());
        } catch (NoSuchFileException e) {
            log.error("dcc_execvp", "failed to exec " + argv.get(0) + ": No such file or directory");
            return ExitCode.COMPILER_MISSING.code();
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
