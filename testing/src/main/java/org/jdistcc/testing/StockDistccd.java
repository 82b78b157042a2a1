package org.jdistcc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stock {@code distccd} listening on 127.0.0.1 for a test: started in the foreground of its own
 * process group ({@code --no-detach}), logging to a file, allowing only 127.0.0.1, with a hidden
 * {@code --lifetime} so that it ends by itself even if this process dies. {@link #close} sends
 * SIGTERM to the daemon and its workers by process id, then kills what is left.
 *
 * <p>Started as root, Debian's distccd drops to the user {@code distccd}, so its {@code TMPDIR} (the
 * {@code tmp} folder under the given directory) is made world-writable, and the directory itself
 * must be searchable by that user.
 */
public final class StockDistccd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path log;

    private StockDistccd(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code binary} with its temp files and log under {@code dir}.
     *
     * @param environment the daemon's environment, complete
     * @param lifetime    how long the daemon may live at most
     */
    public static StockDistccd start(Path binary, Path dir, Map<String, String> environment, Duration lifetime)
            throws IOException, InterruptedException {
        return start(binary, dir, environment, lifetime, List.of());
    }

    /**
     * Starts {@code binary} as {@link #start(Path, Path, Map, Duration)} does, with more options.
     *
     * @param moreArgs options after the usual ones, for example {@code --stats --stats-port N}
     */
    public static StockDistccd start(Path binary, Path dir, Map<String, String> environment, Duration lifetime,
                                     List<String> moreArgs) throws IOException, InterruptedException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = dir.resolve("distccd.log");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freeLoopbackPort();
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--daemon", "--no-detach",
                    "--log-stderr", "--log-level", "info", "--allow", "127.0.0.1", "--listen", "127.0.0.1",
                    "--port", Integer.toString(port), "--jobs", "1",
                    "--lifetime", Long.toString(lifetime.toSeconds())));
            command.addAll(moreArgs);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(tmp.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().clear();
            pb.environment().putAll(environment);
            pb.environment().put("TMPDIR", tmp.toString());
            Process p = pb.start();
            StockDistccd daemon = new StockDistccd(p, port, log);
            try {
                daemon.awaitListening();
                return daemon;
            } catch (IOException e) {
                last = e;
                daemon.close();
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** The daemon's log (its standard error). */
    public Path log() {
        return log;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("distccd exited with status " + process.exitValue() + " on port " + port
                        + "; see " + log);
            }
            if (listening(port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("distccd did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT);
    }

    /** Whether something listens on 127.0.0.1:port, read from /proc so that no probe connects. */
    static boolean listening(int port) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].equals(local) && f[3].equals("0A")) {
                return true;
            }
        }
        return false;
    }

    /** A port free on 127.0.0.1 just now. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Terminates the daemon and its pre-forked workers, by process id. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The daemon's log so far, for error messages. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
