package org.jdistcc.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Running programs for a test: a known environment, a bound on every wait. */
public final class Processes {
    /** How long any one compile or command may take before the test gives up on it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private Processes() {
    }

    /**
     * The environment every program starts from: PATH of the system directories only, the C locale
     * (so messages are English), and HOME in {@code home}. Nothing else leaks in from the test's JVM.
     */
    public static Map<String, String> baseEnvironment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LC_ALL", "C");
        env.put("HOME", home.toString());
        return env;
    }

    /** Runs {@code command} to its end, bounded by {@link #DEFAULT_TIMEOUT}. */
    public static ProcessResult run(List<String> command, Path dir, Map<String, String> environment) {
        try (RunningProcess p = RunningProcess.start(command, dir, environment)) {
            return p.await(DEFAULT_TIMEOUT);
        }
    }

    /**
     * Whether process {@code pid} has ended: no longer in /proc, or a zombie nobody has reaped yet
     * (this machine's init may not reap orphans promptly).
     */
    public static boolean isGone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state == 'Z' || state == 'X';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /** Kills process {@code pid} if it still runs: clean-up for processes a test's server started. */
    public static void killIfAlive(long pid) {
        if (!isGone(pid)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
