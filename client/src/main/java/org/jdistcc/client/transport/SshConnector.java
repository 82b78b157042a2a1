package org.jdistcc.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.protocol.Printable;
import org.jdistcc.protocol.Watchdog;

/**
 * SSH hosts ({@code @host}, {@code user@host}): each job runs
 * {@code <DISTCC_SSH words> [-l user] host <command> --inetd --enable-tcp-insecure}, as distcc does,
 * and talks to that remote distccd over ssh's stdin and stdout. There is no daemon on the remote side:
 * the login is the access check, and the job runs with that user's own rights. ssh's stderr is kept
 * (its last 2 KiB) to explain a failure of its own. Reads and writes are bounded by the I/O timeout.
 */
public final class SshConnector implements Connector {
    private static final int STDERR_KEPT = 2048;
    private static final int SSH_FAILED = 255;

    private final List<String> ssh;
    private final Map<String, String> env;
    private final Watchdog watchdog;

    /**
     * @param ssh the ssh command and its own options: {@code DISTCC_SSH} split on white space
     *            (default {@code ssh})
     * @param env the environment ssh runs with (the caller's: HOME, SSH_AUTH_SOCK)
     */
    public SshConnector(List<String> ssh, Map<String, String> env, Watchdog watchdog) {
        this.ssh = List.copyOf(ssh);
        this.env = Map.copyOf(env);
        this.watchdog = watchdog;
    }

    /** {@code DISTCC_SSH} split on white space; {@code ssh} when unset or blank. */
    public static List<String> command(Map<String, String> env) {
        String v = env.getOrDefault("DISTCC_SSH", "").trim();
        return v.isEmpty() ? List.of("ssh") : List.of(v.split("\\s+"));
    }

    @Override
    public Connection connect(HostSpec host) throws IOException {
        if (!(host instanceof HostSpec.Ssh s)) {
            throw new IllegalArgumentException("not an SSH host: " + host.token());
        }
        List<String> cmd = new ArrayList<>(ssh);
        s.user().ifPresent(u -> {
            cmd.add("-l");
            cmd.add(u);
        });
        cmd.add(s.host());
        cmd.add(s.remoteCommand());
        cmd.add("--inetd");
        cmd.add("--enable-tcp-insecure");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        return new SshConnection(process, s.token(), watchdog);
    }

    private static final class SshConnection implements Connection {
        private final Process process;
        private final String peer;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] stderr = new byte[STDERR_KEPT];
        private int stderrLength;
        private final Thread stderrReader;

        SshConnection(Process process, String peer, Watchdog watchdog) {
            this.process = process;
            this.peer = peer;
            this.in = watchdog.guard(process.getInputStream(), process::destroyForcibly);
            this.out = watchdog.guard(process.getOutputStream(), process::destroyForcibly);
            this.stderrReader = Thread.ofVirtual().name("ssh-stderr").start(this::keepStderr);
        }

        /** Keeps the last {@link #STDERR_KEPT} bytes ssh writes to stderr. */
        private void keepStderr() {
            byte[] buf = new byte[1024];
            try (InputStream err = process.getErrorStream()) {
                int n;
                while ((n = err.read(buf)) > 0) {
                    synchronized (stderr) {
                        int keep = Math.min(n, STDERR_KEPT);
                        int shift = Math.max(0, stderrLength + keep - STDERR_KEPT);
                        System.arraycopy(stderr, shift, stderr, 0, stderrLength - shift);
                        stderrLength -= shift;
                        System.arraycopy(buf, n - keep, stderr, stderrLength, keep);
                        stderrLength += keep;
                    }
                }
            } catch (IOException ignored) {
                // ssh is gone
            }
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public String peer() {
            return peer;
        }

        /**
         * A failure of ssh itself (exit 255: login, host key, connection) or of the remote command
         * (127: no distccd there), with the last words ssh wrote.
         */
        @Override
        public Optional<String> transportFailure() {
            try {
                if (!process.waitFor(500, TimeUnit.MILLISECONDS) || process.exitValue() == 0) {
                    return Optional.empty();
                }
                stderrReader.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            String said;
            synchronized (stderr) {
                said = new String(stderr, 0, stderrLength, StandardCharsets.UTF_8);
            }
            // one line: ssh ends its messages with \r\n, and nothing it says may forge log lines
            said = said.replaceAll("\\p{Cntrl}+", " ").strip();
            if (said.length() > Printable.MAX_CHARS) {
                said = "..." + said.substring(said.length() - Printable.MAX_CHARS + 3); // its last words say why
            }
            int exit = process.exitValue();
            String who = exit == SSH_FAILED ? "ssh to " + peer : "the remote command on " + peer;
            return Optional.of(who + " failed (exit " + exit + ")" + (said.isEmpty() ? "" : ": " + Printable.of(said)));
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
