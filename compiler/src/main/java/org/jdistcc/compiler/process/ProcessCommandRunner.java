package org.jdistcc.compiler.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@link CommandRunner} on {@link ProcessBuilder}. Streams that are neither files nor this JVM's own
 * are copied by virtual threads, and the run ends only when they are drained. A process killed by
 * signal N is reported by the JDK as exit value 128+N; so is a program that calls
 * {@code exit(128+N)}, which compilers do not, so values from 129 to 191 are reported as deaths by
 * signal, the way a shell reads them.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final long POLL_MILLIS = 100;
    private static final long GRACE_MILLIS = 2000;
    private static final int SIGTERM = 15;

    @Override
    public Outcome run(Command command, BooleanSupplier cancelled) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command.argv()).directory(command.directory().toFile());
        pb.redirectInput(switch (command.stdin()) {
            case Command.Input.Null n -> ProcessBuilder.Redirect.from(new File("/dev/null"));
            case Command.Input.Inherit i -> ProcessBuilder.Redirect.INHERIT;
            case Command.Input.From f -> ProcessBuilder.Redirect.PIPE;
        });
        pb.redirectOutput(redirect(command.stdout()));
        pb.redirectError(redirect(command.stderr()));
        pb.environment().clear();
        pb.environment().putAll(command.environment());
        Process process = pb.start();
        List<Thread> pumps = new ArrayList<>();
        if (command.stdin() instanceof Command.Input.From f) {
            pumps.add(pump(f.in(), process.getOutputStream(), true));
        }
        if (command.stdout() instanceof Command.Output.To t) {
            pumps.add(pump(process.getInputStream(), t.out(), false));
        }
        if (command.stderr() instanceof Command.Output.To t) {
            pumps.add(pump(process.getErrorStream(), t.out(), false));
        }
        try {
            Outcome outcome = await(process, command, cancelled);
            for (Thread pump : pumps) {
                pump.join(GRACE_MILLIS);
            }
            return outcome;
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            pumps.forEach(Thread::interrupt);
        }
    }

    private static Outcome await(Process process, Command command, BooleanSupplier cancelled)
            throws InterruptedException {
        long lifetimeMillis = command.lifetime().toMillis();
        long waited = 0;
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
        int exit = process.exitValue();
        return exit > 128 && exit < 192 ? Outcome.killed(exit - 128, Outcome.Ending.EXITED) : Outcome.exited(exit);
    }

    private static ProcessBuilder.Redirect redirect(Command.Output output) {
        return switch (output) {
            case Command.Output.ToFile f -> f.append() ? ProcessBuilder.Redirect.appendTo(f.file().toFile())
                    : ProcessBuilder.Redirect.to(f.file().toFile());
            case Command.Output.Inherit i -> ProcessBuilder.Redirect.INHERIT;
            case Command.Output.To t -> ProcessBuilder.Redirect.PIPE;
        };
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeWhenDone) {
        return Thread.ofVirtual().name("command-stream").start(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                int n;
                while ((n = from.read(buf)) > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the process or the caller went away; the outcome says what happened
            } finally {
                if (closeWhenDone) {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // nothing left to tell the process
                    }
                }
            }
        });
    }

    /** SIGTERM to the whole tree (cc1, as, ...), then SIGKILL to whatever is left after a grace period. */
    private static void kill(Process process) {
        var tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
