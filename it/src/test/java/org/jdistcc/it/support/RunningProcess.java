package org.jdistcc.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started, with its stdout and stderr collected in the background (unless the test
 * takes stdout itself, as the inetd test does). {@link #close()} kills it and every descendant, by
 * process id, if it still runs: put it in try-with-resources.
 */
public final class RunningProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private RunningProcess(List<String> command, Process process, boolean collectStdout) {
        this.command = List.copyOf(command);
        this.process = process;
        this.outReader = collectStdout ? Thread.ofVirtual().start(() -> drain(process.getInputStream(), stdout)) : null;
        this.errReader = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), stderr));
    }

    /**
     * Starts {@code command} in {@code dir} with exactly {@code environment}; stdin is /dev/null.
     */
    public static RunningProcess start(List<String> command, Path dir, Map<String, String> environment) {
        return start(command, dir, environment, false);
    }

    /**
     * As {@link #start(List, Path, Map)}; with {@code pipeStdio} the test writes stdin and reads stdout
     * itself through {@link #stdin()} and {@link #stdout()}.
     */
    public static RunningProcess start(List<String> command, Path dir, Map<String, String> environment,
                                       boolean pipeStdio) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        if (!pipeStdio) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        pb.environment().clear();
        pb.environment().putAll(environment);
        try {
            return new RunningProcess(command, pb.start(), !pipeStdio);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (sink) {
                    sink.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process closed its end
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's stdin, when started with piped stdio. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** The process's stdout, when started with piped stdio. */
    public InputStream stdout() {
        return process.getInputStream();
    }

    /** What it wrote to stderr so far. */
    public String stderrSoFar() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits for the process to end, at most {@code timeout}; past that it is killed and the test fails.
     */
    public ProcessResult await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("still running after " + timeout + ", killed: " + String.join(" ", command)
                        + "\n  stderr: " + stderrSoFar());
            }
            if (outReader != null) {
                outReader.join(Duration.ofSeconds(10));
            }
            errReader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AssertionError("interrupted while waiting for " + command, e);
        }
        String out;
        synchronized (stdout) {
            out = stdout.toString(StandardCharsets.UTF_8);
        }
        return new ProcessResult(command, process.exitValue(), out, stderrSoFar());
    }

    /** Kills the process and its descendants, by process id, if it still runs. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
