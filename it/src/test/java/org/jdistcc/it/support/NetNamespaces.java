package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network namespaces a test made for itself ({@code ip netns add jdcc-<random>-<role>}), joined by
 * veth pairs that are created directly inside them, so that a test can put a server and its clients
 * on different hosts with addresses of its choosing.
 *
 * <p>The rule callers keep: the addresses given here exist only inside these namespaces. From the
 * root namespace a private address routes out of the machine, so nothing in the root namespace ever
 * sends to them: every program that talks to them runs inside a namespace, through
 * {@link Namespace#run} or {@link Namespace#start} ({@code ip netns exec}).
 *
 * <p>{@link #close()} removes everything: it kills, by process id, whatever still runs inside the
 * namespaces (daemons, a client's resident agent: nothing else can be in them), deletes every veth
 * pair and every namespace. A shutdown hook does the same if the test JVM ends without closing.
 * Only usable as root with {@code ip} installed ({@link #unavailableBecause()}).
 */
public final class NetNamespaces implements AutoCloseable {
    private static final List<Path> IP = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"),
            Path.of("/bin/ip"));
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Path ip;
    private final String prefix;
    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<String[]> links = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::removeAll, "netns-cleanup");
    private boolean closed;

    private NetNamespaces(Path ip, String prefix) {
        this.ip = ip;
        this.prefix = prefix;
    }

    /** Why namespaces cannot be had here, or empty if they can: needs root and {@code ip}. */
    public static Optional<String> unavailableBecause() {
        if (!isRoot()) {
            return Optional.of("network namespaces need root");
        }
        if (ipCommand().isEmpty()) {
            return Optional.of("the ip command (iproute2) is not installed");
        }
        return Optional.empty();
    }

    /** An empty set, named {@code jdcc-<8 random hex digits>}; add namespaces with {@link #add}. */
    public static NetNamespaces create() {
        Path ip = ipCommand().orElseThrow(() -> new AssertionError("no ip command"));
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        NetNamespaces set = new NetNamespaces(ip, "jdcc-" + HexFormat.of().formatHex(random));
        Runtime.getRuntime().addShutdownHook(set.shutdownHook);
        return set;
    }

    /** Adds the namespace {@code <prefix>-<role>} with its loopback up. */
    public synchronized Namespace add(String role) {
        Namespace ns = new Namespace(prefix + "-" + role);
        ipOrFail("netns", "add", ns.name);
        namespaces.add(ns);
        ipOrFail("-n", ns.name, "link", "set", "lo", "up");
        return ns;
    }

    /**
     * Joins {@code a} and {@code b} with a veth pair, {@code devA} in {@code a} and {@code devB} in
     * {@code b}, both up. The pair is created inside the namespaces; it never appears in the root one.
     */
    public synchronized void link(Namespace a, String devA, Namespace b, String devB) {
        ipOrFail("link", "add", devA, "netns", a.name, "type", "veth", "peer", "name", devB, "netns", b.name);
        links.add(new String[] {a.name, devA});
        ipOrFail("-n", a.name, "link", "set", devA, "up");
        ipOrFail("-n", b.name, "link", "set", devB, "up");
    }

    /** Kills what runs inside, deletes the veth pairs and the namespaces; safe to call twice. */
    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down and the hook runs anyway
        }
    }

    private synchronized void removeAll() {
        if (closed) {
            return;
        }
        closed = true;
        for (Namespace ns : namespaces) {
            ns.killEverything();
        }
        for (String[] link : links) {
            ip("-n", link[0], "link", "del", link[1]); // its peer goes with it
        }
        for (Namespace ns : namespaces) {
            ip("netns", "del", ns.name);
        }
        String left = ip("netns", "list").stdout();
        for (Namespace ns : namespaces) {
            if (left.contains(ns.name)) {
                throw new AssertionError("network namespace " + ns.name + " is still there:\n" + left);
            }
        }
    }

    private ProcessResult ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ip.toString());
        command.addAll(List.of(args));
        Path root = Path.of("/");
        return Processes.run(command, root, Processes.baseEnvironment(root));
    }

    private ProcessResult ipOrFail(String... args) {
        ProcessResult r = ip(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("ip " + String.join(" ", args) + " failed\n" + r.describe());
        }
        return r;
    }

    private static Optional<Path> ipCommand() {
        return IP.stream().filter(Files::isExecutable).findFirst();
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One namespace of the set. */
    public final class Namespace {
        private final String name;

        private Namespace(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** Adds {@code cidr} to {@code dev}; IPv6 addresses skip duplicate detection, so they work at once. */
        public void address(String dev, String cidr) {
            List<String> args = new ArrayList<>(List.of("-n", name, "addr", "add", cidr, "dev", dev));
            if (cidr.contains(":")) {
                args.add("nodad");
            }
            ipOrFail(args.toArray(String[]::new));
        }

        /** {@code argv} run inside this namespace. */
        public List<String> command(List<String> argv) {
            List<String> command = new ArrayList<>(List.of(ip.toString(), "netns", "exec", name));
            command.addAll(argv);
            return command;
        }

        /** Runs {@code argv} inside this namespace to its end (bounded). */
        public ProcessResult run(List<String> argv, Path dir, Map<String, String> environment) {
            return Processes.run(command(argv), dir, environment);
        }

        /** Starts {@code argv} inside this namespace; the caller closes it. */
        public RunningProcess start(List<String> argv, Path dir, Map<String, String> environment) {
            return RunningProcess.start(command(argv), dir, environment);
        }

        /**
         * The addresses TCP sockets listen on at {@code port} in this namespace, read from its
         * /proc/net tables (nothing connects). An IPv6 socket bound to an IPv4-mapped address, as a
         * JVM binds an IPv4 one, shows as that IPv4 address; {@code ::} is an IPv6 socket on every
         * address, which also takes IPv4 clients (as {@code ::ffff:a.b.c.d}) unless it is IPv6-only.
         */
        public List<InetAddress> listeningAddresses(int port) {
            List<InetAddress> found = new ArrayList<>();
            for (String table : List.of("tcp", "tcp6")) {
                Path root = Path.of("/");
                ProcessResult r = run(List.of("/bin/cat", "/proc/net/" + table), root, Processes.baseEnvironment(root));
                if (r.exitCode() != 0) {
                    continue; // no IPv6 here
                }
                r.stdout().lines().skip(1).map(l -> l.trim().split("\\s+"))
                        .filter(f -> f.length > 3 && f[3].equals("0A"))
                        .filter(f -> Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port)
                        .map(f -> procAddress(f[1].substring(0, f[1].indexOf(':'))))
                        .forEach(found::add);
            }
            return found;
        }

        /** The process ids inside this namespace. */
        public List<Long> pids() {
            ProcessResult r = ip("netns", "pids", name);
            return r.stdout().lines().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
        }

        /**
         * Ends every process inside this namespace, by process id: SIGTERM, and SIGKILL after a
         * bounded wait. Only what a test started can be in here.
         */
        public void killEverything() {
            List<Long> pids = pids();
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
            try {
                Poll.until(KILL_WAIT, () -> pids.stream().allMatch(Processes::isGone), () -> "still running");
            } catch (AssertionError e) {
                pids.forEach(Processes::killIfAlive);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * An address as /proc/net/tcp{,6} prints it: 32-bit words in hex, each in host (little-endian)
     * byte order. An IPv4-mapped IPv6 address comes back as IPv4, as the JDK does everywhere.
     */
    static InetAddress procAddress(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + 3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hex, e);
        }
    }
}
