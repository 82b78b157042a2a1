package org.jdistcc.compiler.process;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@link CommandRunner} on {@link ProcessBuilder}. A process killed by signal N is reported by the
 * JDK as exit value 128+N; so is a program that calls {@code exit(128+N)}, which compilers do not, so
 * values from 129 to 191 are reported as deaths by signal, the way a shell reads them.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final long POLL_MILLIS = 100;
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int SIGTERM = 15;

    @Override
    public Outcome run(Command command, BooleanSupplier cancelled) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command.argv())
                .directory(command.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.to(command.stdout().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(command.stderr().toFile()));
        pb.environment().clear();
        pb.environment().putAll(command.environment());
        Process process = pb.start();
        long lifetimeMillis = command.lifetime().toMillis();
        long waited = 0;
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                waited += POLL_MILLIS;
                if (lifetimeMillis > 0 && waited >= lifetimeMillis) {
                    kill(process);
                    return Outcome.killed(SIGTERM, Outcome.Ending.TIMED_OUT);
                }
                if (cancelled.getAsBoolean()) {
                    kill(process);
                    return Outcome.killed(SIGTERM, Outcome.Ending.CANCELLED);
                }
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        int exit = process.exitValue();
        return exit > 128 && exit < 192 ? Outcome.killed(exit - 128, Outcome.Ending.EXITED) : Outcome.exited(exit);
    }

    /** SIGTERM to the whole tree (cc1, as, ...), then SIGKILL to whatever is left after a grace period. */
    private static void kill(Process process) {
        var tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
