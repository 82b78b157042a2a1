package org.jdistcc.client.schedule;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process that takes fcntl write locks the way stock distcc does, via Python's
 * {@code fcntl.lockf} ({@code F_SETLK}/{@code F_SETLKW} with {@code F_WRLCK} over the whole file).
 */
final class OtherProcessLock implements AutoCloseable {

    private static final String HOLD = """
            import fcntl, sys, time
            f = open(sys.argv[1], "a")
            fcntl.lockf(f, fcntl.LOCK_EX)
            print("locked", flush=True)
            time.sleep(60)
            """;

    private static final String PROBE = """
            import fcntl, sys
            f = open(sys.argv[1], "a")
            try:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                print("free")
            except OSError:
                print("busy")
            """;

    private final Process process;

    private OtherProcessLock(Process process) {
        this.process = process;
    }

    static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import fcntl").start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a process that locks {@code file} and returns once it holds the lock. */
    static OtherProcessLock hold(Path file) throws IOException {
        Process process = new ProcessBuilder("python3", "-c", HOLD, file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        OtherProcessLock holder = new OtherProcessLock(process);
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"locked".equals(line)) {
                throw new IOException("lock holder said " + line);
            }
            return holder;
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    /** Asks a fresh process whether it could take the lock on {@code file} right now. */
    static String probe(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("python3", "-c", PROBE, file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String answer =
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("probe did not finish");
        }
        return answer;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
