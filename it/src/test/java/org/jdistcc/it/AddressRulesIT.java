package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.NetNamespaces;
import org.jdistcc.it.support.NetNamespaces.Namespace;
import org.jdistcc.it.support.OurDistcc;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.StockDistcc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --allow}, {@code --allow-private} and {@code --listen} across real hosts: bin/distccd runs
 * in a network namespace of its own and the clients (stock {@code /usr/bin/distcc} and our
 * {@code bin/distcc}, whose agent then lives in the client's namespace) in three others, each joined
 * to the server by a veth pair:
 *
 * <pre>
 *   allowed    10.213.1.2    fd00:213:1::2    ── c1 ──  10.213.1.1 10.213.1.3  fd00:213:1::1
 *   other      10.213.2.2    fd00:213:2::2    ── c2 ──  10.213.2.1             fd00:213:2::1   server
 *   public     198.51.100.2  2001:db8:213::2  ── c3 ──  198.51.100.1           2001:db8:213::1
 * </pre>
 *
 * The third client's ranges are documentation ranges, outside what {@code --allow-private} adds.
 * These addresses exist only inside the namespaces, and nothing in the test's own (root) namespace
 * ever sends to them. Needs root and {@code ip}; skipped otherwise. IPv6 cases are skipped if the
 * kernel has no IPv6.
 */
class AddressRulesIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(3632);

    /** One client's link to the server: its namespace and both ends' addresses. */
    record Site(Namespace client, String serverDev, String serverV4, String clientV4, String serverV6,
                String clientV6) {
        String v4Host(int port) {
            return serverV4 + ":" + port;
        }

        String v6Host(int port) {
            return "[" + serverV6 + "]:" + port;
        }
    }

    enum Client {
        STOCK, OURS;

        Path binary() {
            return this == STOCK ? StockDistcc.BINARY : OurDistcc.binPath();
        }
    }

    /** A daemon this test started in the server namespace. */
    record Daemon(int port, Path pidFile, Path logFile) {
        String log() {
            try {
                return Files.exists(logFile) ? Files.readString(logFile) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The log lines that contain every one of {@code parts}. */
        List<String> lines(String... parts) {
            return log().lines().filter(l -> Arrays.stream(parts).allMatch(l::contains)).toList();
        }

        void awaitLine(String... parts) {
            Poll.until(BOUND, () -> !lines(parts).isEmpty(),
                    () -> "no line with " + List.of(parts) + " in the server log:\n" + log());
        }
    }

    private static NetNamespaces net;
    private static Namespace server;
    private static Site allowed;
    private static Site other;
    private static Site publicRange;
    private static boolean ipv6;

    private Scratch scratch;
    private Path work;
    private final List<Daemon> daemons = new ArrayList<>();

    @BeforeAll
    static void buildNetwork() {
        assumeTrue(NetNamespaces.unavailableBecause().isEmpty(), () -> NetNamespaces.unavailableBecause().get());
        net = NetNamespaces.create();
        server = net.add("srv");
        allowed = site("cli1", "c1", "10.213.1", "fd00:213:1:");
        other = site("cli2", "c2", "10.213.2", "fd00:213:2:");
        publicRange = site("cli3", "c3", "198.51.100", "2001:db8:213:");
        server.address("c1", "10.213.1.3/24"); // the server's second address on the first link
        ipv6 = Files.exists(Path.of("/proc/net/if_inet6"));
        if (ipv6) {
            for (Site s : List.of(allowed, other, publicRange)) {
                server.address(s.serverDev(), s.serverV6() + "/64");
                s.client().address("s", s.clientV6() + "/64");
            }
        }
    }

    private static Site site(String role, String serverDev, String v4Net, String v6Net) {
        Namespace client = net.add(role);
        net.link(server, serverDev, client, "s");
        server.address(serverDev, v4Net + ".1/24");
        client.address("s", v4Net + ".2/24");
        return new Site(client, serverDev, v4Net + ".1", v4Net + ".2", v6Net + ":1", v6Net + ":2");
    }

    @AfterAll
    static void removeNetwork() {
        if (net != null) {
            net.close(); // kills what is left inside (agents, daemons), deletes links and namespaces
        }
    }

    @BeforeEach
    void createWorkspace() {
        scratch = Scratch.create("address-rules");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
    }

    @AfterEach
    void stopDaemonsAndAgents() {
        try {
            for (Daemon d : daemons) {
                BinDistccd.readPid(d.pidFile()).ifPresent(BinDistccd::kill);
            }
            // what is left: our client's agents (one per DISTCC_DIR), stock distccd's workers
            Stream.of(allowed, other, publicRange).forEach(s -> s.client().killEverything());
            server.killEverything();
        } finally {
            scratch.close();
        }
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Client.class)
    void clientInTheAllowedSubnetCompilesRemotelyAndTheServerLogNamesItsAddress(Client client) throws IOException {
        Daemon d = startOurs("--allow", "10.213.1.0/24");

        ProcessResult r = compile(client, allowed, allowed.v4Host(d.port()), "hello.o", "DISTCC_FALLBACK", "0");

        assertThat(r.exitCode()).as(r.describe() + "\nserver log:\n" + d.log()).isZero();
        d.awaitLine("client: 10.213.1.2:", "COMPILE_OK", "hello.c");
        assertThat(d.lines("denied")).isEmpty();
        assertSameAsLocal("hello.o");
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Client.class)
    void clientOutsideTheAllowedSubnetIsRefusedWithOneLogLineAndFallsBackOrFails116(Client client)
            throws IOException {
        Daemon d = startOurs("--allow", "10.213.1.0/24");

        ProcessResult fellBack = compile(client, other, other.v4Host(d.port()), "hello.o");

        assertThat(fellBack.exitCode()).as(fellBack.describe()).isZero();
        assertThat(fellBack.stderr()).contains("failed to distribute", "10.213.2.1", "running locally instead");
        assertThat(d.lines("'10.213.2.2'", "denied by access list")).as(d.log()).hasSize(1);
        assertThat(d.lines("COMPILE_OK")).isEmpty();
        assertSameAsLocal("hello.o");

        ProcessResult strict = compile(client, other, other.v4Host(d.port()), "strict.o", "DISTCC_FALLBACK", "0");

        assertThat(strict.exitCode()).as(strict.describe()).isEqualTo(116);
        assertThat(work.resolve("strict.o")).doesNotExist();
        assertThat(d.lines("'10.213.2.2'", "denied by access list")).as(d.log()).hasSize(2);
        assertThat(d.lines("COMPILE_OK")).isEmpty();
    }

    static Stream<Arguments> listenAndOtherAddress() {
        return Stream.of(Arguments.of("10.213.1.1", "10.213.1.3"), Arguments.of("fd00:213:1::1", "10.213.1.1"));
    }

    @ParameterizedTest(name = "--listen {0}, not on {1}")
    @MethodSource("listenAndOtherAddress")
    void listenOnOneAddressLeavesTheServersOtherAddressUnreachable(String listen, String unreachable) {
        assumeTrue(ipv6 || !listen.contains(":"), "no IPv6");
        Daemon d = startOurs("--listen", listen, "--allow", "10.213.1.0/24", "--allow", "fd00:213:1::/64");

        assertThat(server.listeningAddresses(d.port())).as("addresses listened on in the server namespace")
                .containsExactly(literal(listen));
        ProcessResult refused = connect(allowed, unreachable, d.port());
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).contains("Connection refused");
        ProcessResult reached = connect(allowed, listen, d.port());
        assertThat(reached.exitCode()).as(reached.describe()).isZero();

        ProcessResult strict = compile(Client.STOCK, allowed, hostSpec(unreachable, d.port()), "strict.o",
                "DISTCC_FALLBACK", "0");
        assertThat(strict.exitCode()).as(strict.describe()).isEqualTo(116);
        ProcessResult served = compile(Client.STOCK, allowed, hostSpec(listen, d.port()), "hello.o",
                "DISTCC_FALLBACK", "0");
        assertThat(served.exitCode()).as(served.describe() + "\nserver log:\n" + d.log()).isZero();
        d.awaitLine("COMPILE_OK", "hello.c");
        assertThat(d.lines("COMPILE_OK")).hasSize(1);
        assertThat(d.lines("denied")).isEmpty();
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Client.class)
    void ipv6RuleAdmitsAClientFromItsRangeAndRefusesAnotherRangeAndTheSameClientOverIpv4(Client client)
            throws IOException {
        assumeTrue(ipv6, "no IPv6");
        Daemon d = startOurs("--allow", "fd00:213:1::/64");

        ProcessResult served = compile(client, allowed, allowed.v6Host(d.port()), "hello.o", "DISTCC_FALLBACK", "0");
        assertThat(served.exitCode()).as(served.describe() + "\nserver log:\n" + d.log()).isZero();
        d.awaitLine("client: [fd00:213:1::2]:", "COMPILE_OK", "hello.c");
        assertSameAsLocal("hello.o");

        ProcessResult fellBack = compile(client, other, other.v6Host(d.port()), "other.o");
        assertThat(fellBack.exitCode()).as(fellBack.describe()).isZero();
        assertThat(fellBack.stderr()).contains("failed to distribute", "running locally instead");
        assertThat(d.lines("'fd00:213:2::2'", "denied by access list")).as(d.log()).hasSize(1);
        assertSameAsLocal("other.o");

        ProcessResult overIpv4 = compile(client, allowed, allowed.v4Host(d.port()), "v4.o", "DISTCC_FALLBACK", "0");
        assertThat(overIpv4.exitCode()).as(overIpv4.describe()).isEqualTo(116);
        assertThat(d.lines("'10.213.1.2'", "denied by access list")).as(d.log()).hasSize(1);
        assertThat(d.lines("COMPILE_OK")).hasSize(1);
    }

    /**
     * Without {@code --listen} the daemon has one IPv6 socket on {@code ::}, so an IPv4 client
     * reaches it as {@code ::ffff:10.213.1.2}; an IPv4 rule, and the same rule written IPv4-mapped,
     * must still match it, and the log names it as plain IPv4.
     */
    @ParameterizedTest(name = "--allow {0}")
    @ValueSource(strings = {"10.213.1.0/24", "::ffff:10.213.1.0/120"})
    void ipv4ClientOfTheDualStackListenerIsMatchedByAnIpv4Rule(String rule) {
        assumeTrue(ipv6, "no IPv6, so no dual-stack listener");
        Daemon d = startOurs("--allow", rule);
        assertThat(server.listeningAddresses(d.port())).as("addresses listened on in the server namespace")
                .containsExactly(literal("::"));

        ProcessResult served = compile(Client.STOCK, allowed, allowed.v4Host(d.port()), "hello.o",
                "DISTCC_FALLBACK", "0");
        assertThat(served.exitCode()).as(served.describe() + "\nserver log:\n" + d.log()).isZero();
        d.awaitLine("client: 10.213.1.2:", "COMPILE_OK", "hello.c");

        ProcessResult refused = compile(Client.STOCK, other, other.v4Host(d.port()), "other.o",
                "DISTCC_FALLBACK", "0");
        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(116);
        assertThat(d.lines("'10.213.2.2'", "denied by access list")).as(d.log()).hasSize(1);
    }

    @Test
    void allowPrivateAdmitsPrivateClientsAndRefusesDocumentationRangeClients() throws IOException {
        Daemon d = startOurs("--allow-private");
        List<String[]> admitted = new ArrayList<>();
        admitted.add(new String[] {allowed.v4Host(d.port()), "client: 10.213.1.2:"});
        List<String[]> refused = new ArrayList<>();
        refused.add(new String[] {publicRange.v4Host(d.port()), "'198.51.100.2'"});
        if (ipv6) {
            admitted.add(new String[] {allowed.v6Host(d.port()), "client: [fd00:213:1::2]:"}); // fc00::/7
            refused.add(new String[] {publicRange.v6Host(d.port()), "'2001:db8:213::2'"});
        }

        for (String[] a : admitted) {
            ProcessResult r = compile(Client.STOCK, allowed, a[0], "hello.o", "DISTCC_FALLBACK", "0");
            assertThat(r.exitCode()).as(r.describe() + "\nserver log:\n" + d.log()).isZero();
            d.awaitLine(a[1], "COMPILE_OK");
        }
        for (String[] x : refused) {
            ProcessResult r = compile(Client.STOCK, publicRange, x[0], "public.o");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr()).contains("failed to distribute", "running locally instead");
            assertThat(d.lines(x[1], "denied by access list")).as(d.log()).hasSize(1);
            assertSameAsLocal("public.o");
        }
        assertThat(d.lines("COMPILE_OK")).hasSize(admitted.size());
    }

    /** The control: stock distccd (IPv4 only in Debian's build) admits and refuses the same clients. */
    @Test
    void stockDistccdAdmitsAndRefusesTheSameClients() throws IOException {
        Daemon d = startStock("--allow", "10.213.1.0/24");

        ProcessResult fellBack = compile(Client.STOCK, other, other.v4Host(d.port()), "other.o");
        assertThat(fellBack.exitCode()).as(fellBack.describe()).isZero();
        assertThat(fellBack.stderr()).contains("failed to distribute", "running locally instead");
        Poll.until(BOUND, () -> d.lines("10.213.2.2", "denied by access list").size() == 1, d::log);
        assertSameAsLocal("other.o");

        ProcessResult served = compile(Client.STOCK, allowed, allowed.v4Host(d.port()), "hello.o",
                "DISTCC_FALLBACK", "0");
        assertThat(served.exitCode()).as(served.describe() + "\nserver log:\n" + d.log()).isZero();
        d.awaitLine("client: 10.213.1.2:", "COMPILE_OK", "hello.c");
        assertSameAsLocal("hello.o");
    }

    /** Starts bin/distccd --daemon in the server namespace on a port of its own, with {@code rules}. */
    private Daemon startOurs(String... rules) {
        return start(BinDistccd.path().toString(), rules);
    }

    /** Starts the stock /usr/bin/distccd the same way; it writes its pid file just after detaching. */
    private Daemon startStock(String... rules) {
        Daemon d = start("/usr/bin/distccd", rules);
        Poll.until(BOUND, () -> BinDistccd.readPid(d.pidFile()).isPresent(), () -> "stock distccd wrote no pid file");
        return d;
    }

    private Daemon start(String program, String... rules) {
        int port = NEXT_PORT.getAndIncrement();
        Path run = scratch.dir("run");
        Daemon d = new Daemon(port, run.resolve("distccd-" + port + ".pid"), run.resolve("distccd-" + port + ".log"));
        List<String> argv = new ArrayList<>(List.of(program, "--daemon", "--port", Integer.toString(port),
                "--pid-file", d.pidFile().toString(), "--log-file", d.logFile().toString(),
                "--lifetime", Long.toString(BinDistccd.DAEMON_LIFETIME.toSeconds())));
        argv.addAll(List.of(rules));
        daemons.add(d);
        ProcessResult r = server.run(argv, run, BinDistccd.environment(scratch.dir("server-tmp"), Map.of()));
        assertThat(r.exitCode()).as("%s --daemon in %s\n%s", program, server, r.describe()).isZero();
        return d;
    }

    /**
     * Compiles hello.c to {@code output} with {@code client} from {@code site}'s namespace, fresh
     * DISTCC_DIR and TMPDIR (no backoff carried over), {@code env} as name-value pairs on top.
     */
    private ProcessResult compile(Client client, Site site, String hosts, String output, String... env) {
        Map<String, String> environment = new HashMap<>(Processes.baseEnvironment(scratch.root()));
        environment.put("DISTCC_HOSTS", hosts);
        environment.put("DISTCC_DIR", scratch.freshDir("distcc-dir-").toString());
        environment.put("TMPDIR", scratch.freshDir("client-tmp-").toString());
        for (String name : List.of("JDISTCC_JAVA_HOME", "JAVA_HOME")) {
            String v = System.getenv(name);
            if (v != null && client == Client.OURS) {
                environment.put(name, v);
            }
        }
        for (int i = 0; i + 1 < env.length; i += 2) {
            environment.put(env[i], env[i + 1]);
        }
        return site.client().run(List.of(client.binary().toString(), "gcc", "-c", "hello.c", "-o", output), work,
                environment);
    }

    /** Opens a TCP connection from {@code site}'s namespace to {@code address}:{@code port} and closes it. */
    private ProcessResult connect(Site site, String address, int port) {
        return site.client().run(List.of("/usr/bin/timeout", "20", "/bin/bash", "-c", "exec 3<>/dev/tcp/$0/$1",
                address, Integer.toString(port)), work, Processes.baseEnvironment(scratch.root()));
    }

    /** The address {@code text} names; a literal, so nothing is looked up. */
    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(text, e);
        }
    }

    private static String hostSpec(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** {@code object} is what local gcc makes of hello.c. */
    private void assertSameAsLocal(String object) throws IOException {
        Gcc.run(work, "gcc", "-c", "hello.c", "-o", "reference.o");
        assertThat(Files.readAllBytes(work.resolve(object))).as(object).isNotEmpty()
                .isEqualTo(Files.readAllBytes(work.resolve("reference.o")));
    }
}
