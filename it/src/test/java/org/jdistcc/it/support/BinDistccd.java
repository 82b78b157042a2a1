package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Our installed {@code bin/distccd} launcher, run as a separate process the way an administrator runs
 * it (as root it drops to another user before the JVM starts). The project's root comes from the
 * {@code jdistcc.home} system property that the it module's pom sets.
 */
public final class BinDistccd {
    /** How long a daemon started by a test may live at most, in case the test's clean-up never runs. */
    public static final Duration DAEMON_LIFETIME = Duration.ofSeconds(240);

    private BinDistccd() {
    }

    public static Path path() {
        String home = System.getProperty("jdistcc.home");
        if (home == null) {
            throw new AssertionError("system property jdistcc.home is not set: run through mvn verify");
        }
        Path bin = Path.of(home, "bin", "distccd");
        if (!Files.isExecutable(bin) || !Files.isRegularFile(Path.of(home, "lib", "jdistcc-server.jar"))) {
            throw new AssertionError(bin + " or its lib/jdistcc-server.jar is missing: run ./build first");
        }
        return bin;
    }

    /**
     * The environment for bin/distccd: the base one with TMPDIR set and {@code extra} on top. The JDK
     * variables pass through so that the launcher finds the same JDK as the build.
     */
    public static Map<String, String> environment(Path tmpDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(tmpDir));
        for (String name : List.of("JDISTCC_JAVA_HOME", "JAVA_HOME")) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        env.put("TMPDIR", tmpDir.toString());
        env.putAll(extra);
        return env;
    }

    /** Starts {@code bin/distccd ARGS...}; {@code pipeStdio} hands stdin and stdout to the test. */
    public static RunningProcess start(List<String> args, Map<String, String> env, Path dir, boolean pipeStdio) {
        List<String> command = new ArrayList<>();
        command.add(path().toString());
        command.addAll(args);
        return RunningProcess.start(command, dir, env, pipeStdio);
    }

    /** Runs {@code bin/distccd ARGS...} to its end (bounded). */
    public static ProcessResult run(List<String> args, Map<String, String> env, Path dir) {
        try (RunningProcess p = start(args, env, dir, false)) {
            return p.await(Processes.DEFAULT_TIMEOUT);
        }
    }

    /** A detached daemon a test started: where it listens and where its pid file and log are. */
    public record Daemon(int port, Path pidFile, Path logFile) {
        /** Its process id, from the pid file. */
        public long pid() {
            return readPid(pidFile).orElseThrow(() -> new AssertionError("no pid in " + pidFile));
        }

        /** Its log so far, or "" if there is none yet. */
        public String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "";
            }
        }
    }

    /**
     * Runs {@code bin/distccd --daemon} on 127.0.0.1:{@code port} (allowing 127.0.0.1, with a pid file
     * and a log file in {@code runDir}, and a {@code --lifetime} backstop) until the launcher exits.
     */
    public static ProcessResult runDaemon(int port, Path pidFile, Path logFile, List<String> extraArgs,
                                          Map<String, String> env, Path runDir) {
        List<String> args = new ArrayList<>(List.of("--daemon", "--allow", "127.0.0.1", "--listen", "127.0.0.1",
                "--port", Integer.toString(port), "--pid-file", pidFile.toString(), "--log-file", logFile.toString(),
                "--lifetime", Long.toString(DAEMON_LIFETIME.toSeconds())));
        args.addAll(extraArgs);
        return run(args, env, runDir);
    }

    /**
     * Starts a detached daemon on a free port (another one if that port was taken meanwhile, exit
     * 102, at most 3 times) and fails the test unless the launcher exits 0. The caller ends it with
     * {@link #kill(long)}.
     */
    public static Daemon startDaemon(Path runDir, List<String> extraArgs, Map<String, String> env) {
        ProcessResult last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path pidFile = runDir.resolve("distccd-" + port + ".pid");
            Path logFile = runDir.resolve("distccd-" + port + ".log");
            last = runDaemon(port, pidFile, logFile, extraArgs, env, runDir);
            if (last.exitCode() == 0) {
                return new Daemon(port, pidFile, logFile);
            }
            if (last.exitCode() != 102) {
                break;
            }
        }
        throw new AssertionError("distccd --daemon did not start\n" + last.describe());
    }

    /** A port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether anything listens on {@code port}, on any address, read from /proc so that nothing
     * connects. A JVM listens on an IPv6 socket even for 127.0.0.1, so tcp6 counts too.
     */
    public static boolean listening(int port) {
        String suffix = String.format(":%04X", port);
        try {
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(suffix) && f[3].equals("0A")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process id in a pid file, if the file exists and holds one. */
    public static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Ends a detached daemon by its process id: SIGTERM, and after a bounded wait SIGKILL. For clean-up
     * in a finally block; a daemon that is already gone is fine.
     */
    public static void kill(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        try {
            Poll.until(Duration.ofSeconds(10), () -> !handle.get().isAlive(), () -> "daemon " + pid + " still alive");
        } catch (AssertionError e) {
            handle.get().destroyForcibly();
        }
    }

    /** The Uid: line of /proc/PID/status: real, effective, saved and filesystem uid. */
    public static List<Long> uids(long pid) {
        return idLine(pid, "Uid:");
    }

    /** The Gid: line of /proc/PID/status. */
    public static List<Long> gids(long pid) {
        return idLine(pid, "Gid:");
    }

    private static List<Long> idLine(long pid, String prefix) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(prefix)) {
                    return Arrays.stream(line.substring(prefix.length()).trim().split("\\s+"))
                            .map(Long::parseLong).toList();
                }
            }
            throw new AssertionError("no " + prefix + " line for process " + pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
