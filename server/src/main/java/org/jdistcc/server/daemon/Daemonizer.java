package org.jdistcc.server.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Detaching for {@code --daemon}. A JVM cannot fork, so the foreground process starts a copy of
 * itself in a new session ({@code setsid}), relays what the copy says on stderr until the copy reports
 * that it is listening, and then exits 0; so, as with distccd, exit 0 means "listening", and a bind
 * failure is the copy's exit status (102). The copy knows it is the copy by {@link #CHILD_MARKER}.
 */
public final class Daemonizer {
    /** Environment variable set in the detached copy. */
    public static final String CHILD_MARKER = "JDISTCC_DETACHED";
    private static final String READY = "jdistcc-distccd-ready";
    private static final long START_TIMEOUT_SECONDS = 120;

    private Daemonizer() {
    }

    /** Whether this process is the detached copy. */
    public static boolean isDetachedChild(Map<String, String> env) {
        return "1".equals(env.get(CHILD_MARKER));
    }

    /** Called by the detached copy once it listens: tells the waiting parent, then lets go of stdio. */
    public static void reportReady() {
        System.out.println(READY);
        System.out.flush();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    }

    /**
     * Starts the detached copy with this JVM's command line and waits until it listens or dies.
     *
     * @return the exit status for this process: 0 when the copy listens, else the copy's own status
     */
    public static int detach(Map<String, String> env) throws IOException, InterruptedException {
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(self.command().orElseThrow(() -> new IOException("cannot tell this JVM's command line")));
        self.arguments().ifPresent(args -> cmd.addAll(List.of(args)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put(CHILD_MARKER, "1");
        Process child = pb.start();
        Thread relay = Thread.ofPlatform().daemon().start(() -> relay(child.getErrorStream()));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals(READY)) {
                    relay.join(200);
                    return 0;
                }
            }
        }
        if (!child.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            child.destroy();
            return 100;
        }
        relay.join(1000);
        return child.exitValue();
    }

    private static void relay(InputStream err) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = err.read(buf)) > 0) {
                System.err.write(buf, 0, n);
                System.err.flush();
            }
        } catch (IOException ignored) {
            // the copy let go of stderr
        }
    }
}
