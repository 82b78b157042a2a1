package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH {@code sshd} for one test class, on a free port of 127.0.0.1, with a private config,
 * a host key generated for it, and a dedicated login user ({@value #USER}, shell /bin/sh, created if
 * missing) whose authorized key is generated here too. Nothing of the machine's own ssh set-up is
 * used or changed, apart from that user and {@code /run/sshd} (sshd's privilege-separation
 * directory).
 *
 * <p>The rule for callers: check {@link #assumeUsable()} first (sshd must be started as root), and
 * {@link #close()} it in a finally block or {@code @AfterAll}; that ends the listener, every session
 * it started, and whatever the login user still runs.
 *
 * <p>The client side is {@link #distccSsh(Path, Path)}: the {@code DISTCC_SSH} value that makes
 * {@code ssh} use exactly these keys and this port, refusing any host key but the one generated
 * here. Its options are written as single words ({@code -oName=value}, {@code -p2222}) because
 * stock distcc 3.4 passes at most 12 extra words of {@code DISTCC_SSH} to ssh.
 */
public final class Sshd implements AutoCloseable {
    /** The login user the tests ssh in as. */
    public static final String USER = "jdistcc-ssh";

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH = Path.of("/usr/bin/ssh");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final Duration START_WAIT = Duration.ofSeconds(15);

    private final RunningProcess process;
    private final int port;
    private final Path dir;
    private final Path userKey;
    private final Path knownHosts;
    private final long userUid;

    private Sshd(RunningProcess process, int port, Path dir, Path userKey, Path knownHosts, long userUid) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.userKey = userKey;
        this.knownHosts = knownHosts;
        this.userUid = userUid;
    }

    /** Skips the calling test unless this runs as root and OpenSSH's server and client are installed. */
    public static void assumeUsable() {
        Assumptions.assumeTrue(BinDistccd.uids(ProcessHandle.current().pid()).get(1) == 0,
                "sshd needs root: skipped");
        for (Path p : List.of(SSHD, SSH, SSH_KEYGEN)) {
            Assumptions.assumeTrue(Files.isExecutable(p), p + " is missing (tools/install-deps installs openssh-server)");
        }
    }

    /**
     * Creates the login user if needed, generates the keys into {@code dir} (which the login user must
     * be able to traverse, like a {@link Scratch} directory), and starts sshd on a free port (another
     * one if that port was taken meanwhile, at most 3 times).
     */
    public static Sshd start(Path dir) {
        long uid = ensureUser();
        Path hostKey = keyPair(dir, "host_key");
        Path userKey = keyPair(dir, "user_key");
        Path authorized = dir.resolve("authorized_keys");
        write(authorized.resolve(USER), read(userKey.resolveSibling("user_key.pub")), "rw-r--r--");
        mkdirs(Path.of("/run/sshd"));
        String failures = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = BinDistccd.freePort();
            Path config = write(dir.resolve("sshd_config"), config(port, hostKey, authorized), "rw-r--r--");
            RunningProcess p = RunningProcess.start(List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()),
                    dir, Processes.baseEnvironment(dir));
            try {
                Poll.until(START_WAIT, () -> BinDistccd.listening(port) || !p.isAlive(),
                        () -> "sshd not listening on " + port + ": " + p.stderrSoFar());
            } catch (AssertionError e) {
                p.close();
                throw e;
            }
            if (p.isAlive()) {
                Path knownHosts = dir.resolve("known_hosts");
                write(knownHosts, knownHostsLine(port, hostKey.resolveSibling("host_key.pub")), "rw-r--r--");
                return new Sshd(p, port, dir, userKey, knownHosts, uid);
            }
            failures += p.stderrSoFar();
            p.close();
        }
        throw new AssertionError("sshd did not start:\n" + failures);
    }

    private static String config(int port, Path hostKey, Path authorized) {
        return String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile none",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                // the keys live in a world-writable scratch tree, which StrictModes would refuse
                "StrictModes no",
                "AuthorizedKeysFile " + authorized + "/%u",
                // nobody may try, and is refused for want of an authorized key (authorized_keys/nobody)
                "AllowUsers " + USER + " nobody",
                "PermitRootLogin no",
                "UseDNS no",
                "PrintMotd no",
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "LogLevel VERBOSE",
                "");
    }

    /** The port sshd listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The login user's private key (the one sshd accepts for {@value #USER}). */
    public Path userKey() {
        return userKey;
    }

    /** A known_hosts file holding this sshd's real host key. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The login user's uid. */
    public long userUid() {
        return userUid;
    }

    /** {@code DISTCC_SSH} for this server, with the authorized key and the real host key. */
    public String distccSsh() {
        return distccSsh(userKey, knownHosts);
    }

    /**
     * {@code DISTCC_SSH} for this server with {@code key} as the only identity and {@code knownHosts}
     * as the only host key list: no agent, no prompts, no config files, no unknown host accepted.
     */
    public String distccSsh(Path key, Path knownHosts) {
        return String.join(" ", SSH.toString(), "-Fnone", "-i" + key, "-p" + port,
                "-oStrictHostKeyChecking=yes", "-oUserKnownHostsFile=" + knownHosts, "-oBatchMode=yes",
                "-oIdentitiesOnly=yes", "-oConnectTimeout=10");
    }

    /** A key pair that sshd knows nothing of (made on first use); returns the private key. */
    public synchronized Path strangerKey() {
        Path key = dir.resolve("stranger_key");
        return Files.exists(key) ? key : keyPair(dir, "stranger_key");
    }

    /**
     * A known_hosts file (made on first use) that names this server's address and port with a host key
     * that is not its own.
     */
    public synchronized Path wrongKnownHosts() {
        Path file = dir.resolve("known_hosts.wrong");
        if (!Files.exists(file)) {
            Path other = keyPair(dir, "impostor_host_key");
            write(file, knownHostsLine(port, other.resolveSibling("impostor_host_key.pub")), "rw-r--r--");
        }
        return file;
    }

    /** What sshd logged so far. */
    public String log() {
        return process.stderrSoFar();
    }

    /** The processes the login user runs now, as "pid command line", from /proc. */
    public List<String> userProcesses() {
        List<String> found = new ArrayList<>();
        try (var all = Files.list(Path.of("/proc"))) {
            for (Path p : all.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (uid(pid).filter(u -> u == userUid).isPresent() && !Processes.isGone(pid)) {
                    found.add(pid + " " + cmdline(pid));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The command line of {@code pid}, arguments separated by spaces, or "" once it is gone. */
    public static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Long> uid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Long.parseLong(line.substring(4).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return Optional.empty();
    }

    /**
     * Ends sshd and every session it started (its descendants), then whatever the login user still
     * runs: all of it was started through this server.
     */
    @Override
    public void close() {
        process.close();
        for (String p : userProcesses()) {
            Processes.killIfAlive(Long.parseLong(p.substring(0, p.indexOf(' '))));
        }
    }

    /**
     * Makes sure {@value #USER} exists with /bin/sh as its shell (root's login shell start-up here
     * takes seconds) and the password field {@code *}: a fresh account is locked ("!"), and sshd
     * refuses a locked account even for key logins. Returns its uid.
     */
    private static long ensureUser() {
        Path home = Path.of("/");
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(home));
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        ProcessResult id = Processes.run(List.of("id", "-u", USER), home, env);
        if (id.exitCode() != 0) {
            ProcessResult add = Processes.run(List.of("useradd", "-m", "-s", "/bin/sh", USER), home, env);
            // 9: another run created it meanwhile
            if (add.exitCode() != 0 && add.exitCode() != 9) {
                throw new AssertionError("cannot create the ssh test user\n" + add.describe());
            }
        }
        ProcessResult mod = Processes.run(List.of("usermod", "-p", "*", "-s", "/bin/sh", USER), home, env);
        if (mod.exitCode() != 0) {
            throw new AssertionError("cannot unlock the ssh test user\n" + mod.describe());
        }
        id = Processes.run(List.of("id", "-u", USER), home, env);
        if (id.exitCode() != 0) {
            throw new AssertionError(id.describe());
        }
        return Long.parseLong(id.stdout().strip());
    }

    /** Generates an ed25519 key pair {@code name} and {@code name.pub} in {@code dir}; returns the private key. */
    private static Path keyPair(Path dir, String name) {
        Path key = dir.resolve(name);
        ProcessResult r = Processes.run(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C",
                "jdistcc-it " + name, "-f", key.toString()), dir, Processes.baseEnvironment(dir));
        if (r.exitCode() != 0) {
            throw new AssertionError("ssh-keygen failed\n" + r.describe());
        }
        return key;
    }

    private static String knownHostsLine(int port, Path publicKey) {
        return "[127.0.0.1]:" + port + " " + read(publicKey).strip() + "\n";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path p, String text, String mode) {
        try {
            mkdirs(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path d) {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
