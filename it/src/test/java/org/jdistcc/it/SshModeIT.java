package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.OurDistcc;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.Sshd;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.testing.StockDistccd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SSH host specs ({@code user@host:COMMAND}, reference §3.2, §4.1, §5.2) end to end, through a real
 * OpenSSH sshd on a loopback port ({@link Sshd}): the client runs {@code DISTCC_SSH ... -l USER
 * 127.0.0.1 COMMAND --inetd --enable-tcp-insecure}, and the remote distccd serves that one job on its
 * stdin and stdout as the login user, then exits.
 *
 * <p>COMMAND is a wrapper script in a scratch directory: it appends {@code <user> <pid> <args>} to
 * a log and execs the real distccd (our {@code bin/distccd}, or the stock {@code /usr/bin/distccd}).
 * That log is the proof that a job ran remotely, as whom, with which arguments, and under which
 * process id (to check that nothing of it outlives the job); a job that fell back leaves no line.
 */
@Timeout(180)
class SshModeIT {
    /** Which client sends the job. */
    enum Client { ENGINE, BIN, STOCK }

    /** Which distccd the SSH login runs. */
    enum Server { OURS, STOCK }

    /** The host options that select the protocol version. */
    enum Protocol {
        V1(""), V2(",lzo");

        final String hostOptions;

        Protocol(String hostOptions) {
            this.hostOptions = hostOptions;
        }
    }

    /** How sshd turns a login away. */
    enum Refusal { USER_WITHOUT_AUTHORIZED_KEY, KEY_NOT_AUTHORIZED }

    private static final String FALLBACK_LINE = "(?s).*failed to distribute .* running locally instead.*";
    private static final Duration SESSION_END = Duration.ofSeconds(15);
    private static final int MEASURED_JOBS = 10;

    private static Scratch shared;
    private static Sshd sshd;
    private static Path runsLog;
    private static final Map<Server, Path> WRAPPERS = new HashMap<>();

    private Scratch scratch;
    private Path work;
    private final List<Path> agentDirs = new ArrayList<>();

    @BeforeAll
    static void startSshd() {
        Sshd.assumeUsable();
        shared = Scratch.create("ssh-mode");
        sshd = Sshd.start(shared.dir("sshd"));
        runsLog = shared.dir("remote").resolve("runs.log");
        WRAPPERS.put(Server.OURS, wrapper("ours-distccd", ourDistccdForSshUser()));
        WRAPPERS.put(Server.STOCK, wrapper("stock-distccd", Path.of("/usr/bin/distccd")));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
        if (shared != null) {
            shared.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        scratch = Scratch.create("ssh-mode-case");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
        Files.deleteIfExists(runsLog);
    }

    @AfterEach
    void tearDown() {
        agentDirs.forEach(SshModeIT::stopAgent);
        scratch.close();
    }

    static Stream<Arguments> ourClientsAndProtocols() {
        List<Arguments> all = new ArrayList<>();
        for (Client c : List.of(Client.ENGINE, Client.BIN)) {
            for (Protocol p : Protocol.values()) {
                all.add(Arguments.of(c, p));
            }
        }
        return all.stream();
    }

    static Stream<Arguments> everyPairing() {
        List<Arguments> all = new ArrayList<>();
        for (Client c : Client.values()) {
            for (Server s : Server.values()) {
                for (Protocol p : Protocol.values()) {
                    all.add(Arguments.of(c, s, p));
                }
            }
        }
        return all.stream();
    }

    static Stream<Arguments> ourClientsAndServers() {
        List<Arguments> all = new ArrayList<>();
        for (Client c : List.of(Client.ENGINE, Client.BIN)) {
            for (Server s : Server.values()) {
                all.add(Arguments.of(c, s));
            }
        }
        return all.stream();
    }

    // 1. our client -> ssh -> our distccd --inetd

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ourClientsAndProtocols")
    void ourClientCompilesOverSshOnOurDistccdToLocalGccsBytes(Client client, Protocol protocol) throws IOException {
        ProcessResult r = compile(client, hostSpec(Server.OURS, protocol), Map.of("DISTCC_FALLBACK", "0"),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).as(r.describe()).isEmpty();
        assertThat(remoteRuns()).as("one remote distccd, run by sshd as the login user, in inetd mode")
                .singleElement().satisfies(run -> {
                    assertThat(run.user()).isEqualTo(Sshd.USER);
                    assertThat(run.args()).isEqualTo("--inetd --enable-tcp-insecure");
                });
        assertSameAsLocalGcc("hello.o", "-O2", "-c", "hello.c");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ourClientsAndProtocols")
    void remoteCompileErrorComesBackOverSshWithGccsMessageAndStatus(Client client, Protocol protocol) {
        scratch.write("work/broken.c", "int main(void) { return undeclared_name; }\n");

        ProcessResult r = compile(client, hostSpec(Server.OURS, protocol),
                Map.of("DISTCC_FALLBACK", "0", "DISTCC_SKIP_LOCAL_RETRY", "1"),
                "gcc", "-c", "broken.c", "-o", "broken.o");

        // only the compiler proper reports an undeclared name, and no local retry was allowed
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).as(r.describe()).contains("error: 'undeclared_name' undeclared")
                .doesNotContain("failed to distribute");
        assertThat(work.resolve("broken.o")).doesNotExist();
        assertThat(remoteRuns()).singleElement().satisfies(run -> assertThat(run.user()).isEqualTo(Sshd.USER));
    }

    // 2. stock and ours, both sides

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("everyPairing")
    void stockAndOurClientsAndServersOverSshAllMakeLocalGccsObject(Client client, Server server, Protocol protocol)
            throws IOException {
        ProcessResult r = compile(client, hostSpec(server, protocol), Map.of("DISTCC_FALLBACK", "0"),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(remoteRuns()).as(r.describe()).singleElement()
                .satisfies(run -> assertThat(run.user()).isEqualTo(Sshd.USER));
        assertSameAsLocalGcc("hello.o", "-O2", "-c", "hello.c");
    }

    // 3. strict host key checking

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Client.class, names = {"ENGINE", "BIN"})
    void wrongHostKeyKeepsTheJobOffTheHostAndItFallsBackSayingWhatSshSaid(Client client) throws IOException {
        ProcessResult r = compile(client, hostSpec(Server.OURS, Protocol.V1),
                Map.of("DISTCC_SSH", sshd.distccSsh(sshd.userKey(), sshd.wrongKnownHosts())),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(fallbackLines(r)).as(r.describe()).singleElement().asString()
                .contains(hostSpec(Server.OURS, Protocol.V1)).contains("Host key verification failed");
        assertThat(remoteRuns()).isEmpty();
        assertSameAsLocalGcc("hello.o", "-O2", "-c", "hello.c");
    }

    /**
     * Pins a bug: ssh ends each of its messages with CR LF, and the client quotes ssh's stderr in its
     * "failed to distribute" lines with only the LFs replaced, so bare CRs land in the middle of the
     * line (a terminal then overwrites the start of the line; line-splitting tools cut it in pieces).
     */
    @Test
    void sshsCarriageReturnsDoNotLeakIntoTheFallbackLine() {
        ProcessResult r = compile(Client.ENGINE, hostSpec(Server.OURS, Protocol.V1),
                Map.of("DISTCC_SSH", sshd.distccSsh(sshd.userKey(), sshd.wrongKnownHosts())),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).contains("Host key verification failed").doesNotContain("\r");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Client.class, names = {"ENGINE", "BIN"})
    void wrongHostKeyWithoutFallbackFailsWithNoHostsStatus(Client client) {
        ProcessResult r = compile(client, hostSpec(Server.OURS, Protocol.V1),
                Map.of("DISTCC_SSH", sshd.distccSsh(sshd.userKey(), sshd.wrongKnownHosts()), "DISTCC_FALLBACK", "0"),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(116);
        assertThat(r.stderr()).contains("Host key verification failed").contains("fallbacks are disabled");
        assertThat(work.resolve("hello.o")).doesNotExist();
        assertThat(remoteRuns()).isEmpty();
    }

    // 4. authentication

    @ParameterizedTest(name = "{0}")
    @EnumSource(Refusal.class)
    void sshdRefusesALoginWithoutAnAuthorizedKeyAndTheClientFallsBack(Refusal refusal) throws IOException {
        String user = refusal == Refusal.USER_WITHOUT_AUTHORIZED_KEY ? "nobody" : Sshd.USER;
        Path key = refusal == Refusal.KEY_NOT_AUTHORIZED ? sshd.strangerKey() : sshd.userKey();
        String host = user + "@127.0.0.1:" + WRAPPERS.get(Server.OURS);

        ProcessResult r = compile(Client.ENGINE, host, Map.of("DISTCC_SSH", sshd.distccSsh(key, sshd.knownHosts())),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(fallbackLines(r)).as(r.describe()).singleElement().asString()
                .contains(host).contains("Permission denied (publickey)");
        assertThat(remoteRuns()).isEmpty();
        assertThat(sshd.log()).doesNotContain("Accepted publickey for nobody");
        assertSameAsLocalGcc("hello.o", "-O2", "-c", "hello.c");
    }

    // 5. no daemon

    @ParameterizedTest(name = "{0} client, {1} server")
    @MethodSource("ourClientsAndServers")
    void nothingTheSshUserRanOutlivesTheJob(Client client, Server server) {
        awaitNoUserProcesses("before the job");

        ProcessResult r = compile(client, hostSpec(server, Protocol.V2), Map.of("DISTCC_FALLBACK", "0"),
                "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        RemoteRun run = remoteRuns().getFirst();
        Poll.until(SESSION_END, () -> Processes.isGone(run.pid()),
                () -> "the remote distccd " + run.pid() + " still runs: " + Sshd.cmdline(run.pid()));
        awaitNoUserProcesses("after the job");
    }

    // 6. what a job costs over SSH

    @Test
    @Timeout(600)
    void perJobCostOverSshAgainstTcpIsMeasured() throws Exception {
        Path runDir = scratch.dir("daemon");
        BinDistccd.Daemon daemon = BinDistccd.startDaemon(runDir, List.of("--jobs", "2"),
                BinDistccd.environment(scratch.dir("daemon-tmp"), Map.of()));
        Path stockDir = scratch.dir("stock-daemon");
        try (StockDistccd stock = StockDistccd.start(Path.of("/usr/bin/distccd"), stockDir,
                Processes.baseEnvironment(stockDir), Duration.ofSeconds(590))) {
            Path distccDir = scratch.freshDir("distcc-dir-");
            agentDirs.add(distccDir);
            OurDistcc ssh = ourClient(hostSpec(Server.OURS, Protocol.V1), Map.of("DISTCC_FALLBACK", "0"))
                    .sharingDistccDir(distccDir);
            OurDistcc tcp = ourClient("127.0.0.1:" + daemon.port(), Map.of("DISTCC_FALLBACK", "0"))
                    .sharingDistccDir(distccDir);
            StockDistcc stockSsh = stockClient(hostSpec(Server.STOCK, Protocol.V1), Map.of("DISTCC_FALLBACK", "0"));
            StockDistcc stockTcp = stockClient("127.0.0.1:" + stock.port(), Map.of("DISTCC_FALLBACK", "0"));
            String[] args = {"gcc", "-O2", "-c", "hello.c", "-o", "hello.o"};

            Map<String, List<Long>> millis = new LinkedHashMap<>();
            Map<String, Callable<ProcessResult>> jobs = new LinkedHashMap<>();
            jobs.put("bin/distcc -> ssh -> bin/distccd --inetd", () -> ssh.runBin(work, args));
            jobs.put("bin/distcc -> tcp -> bin/distccd --daemon", () -> tcp.runBin(work, args));
            jobs.put("stock distcc -> ssh -> stock distccd --inetd", () -> stockSsh.run(work, args));
            jobs.put("stock distcc -> tcp -> stock distccd --daemon", () -> stockTcp.run(work, args));
            List<String> sshTrue = new ArrayList<>(List.of(sshd.distccSsh().split(" ")));
            sshTrue.addAll(List.of("-l", Sshd.USER, "127.0.0.1", "true"));
            jobs.put("ssh login running true (no distcc)", () -> Processes.run(sshTrue, work,
                    Processes.baseEnvironment(work)));
            jobs.put("local gcc", () -> Processes.run(List.of("/usr/bin/gcc", "-O2", "-c", "hello.c", "-o", "hello.o"),
                    work, Processes.baseEnvironment(work)));
            for (var job : jobs.entrySet()) {
                ProcessResult warm = job.getValue().call(); // the agent starts, the page cache fills
                assertThat(warm.exitCode()).as(warm.describe()).isZero();
                millis.put(job.getKey(), new ArrayList<>());
            }
            for (int i = 0; i < MEASURED_JOBS; i++) {
                for (var job : jobs.entrySet()) {
                    long start = System.nanoTime();
                    ProcessResult r = job.getValue().call();
                    long took = (System.nanoTime() - start) / 1_000_000;
                    assertThat(r.exitCode()).as(r.describe()).isZero();
                    millis.get(job.getKey()).add(took);
                }
            }
            assertThat(remoteRuns()).as("every SSH job ran remotely").hasSize(2 * (MEASURED_JOBS + 1));

            StringBuilder report = new StringBuilder("SshModeIT: per-job wall time, median of " + MEASURED_JOBS
                    + " jobs (min..max), same small source (hello.c -O2):\n");
            millis.forEach((what, ms) -> report.append(String.format("  %-46s %5d ms  (%d..%d)%n", what, median(ms),
                    ms.stream().min(Long::compare).orElseThrow(), ms.stream().max(Long::compare).orElseThrow())));
            System.out.print(report);
        } finally {
            BinDistccd.kill(daemon.pid());
        }
    }

    // the clients

    private ProcessResult compile(Client client, String hosts, Map<String, String> extra, String... args) {
        return switch (client) {
            case ENGINE -> ourClient(hosts, extra).run(work, args);
            case BIN -> {
                Path distccDir = scratch.freshDir("distcc-dir-");
                agentDirs.add(distccDir);
                yield ourClient(hosts, extra).sharingDistccDir(distccDir).runBin(work, args);
            }
            case STOCK -> stockClient(hosts, extra).run(work, args);
        };
    }

    private OurDistcc ourClient(String hosts, Map<String, String> extra) {
        OurDistcc c = OurDistcc.toHosts(hosts, scratch.dir("our-client")).with("DISTCC_SSH", sshd.distccSsh());
        for (var e : extra.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    private StockDistcc stockClient(String hosts, Map<String, String> extra) {
        StockDistcc c = StockDistcc.toHosts(hosts, scratch.dir("stock-client")).with("DISTCC_SSH", sshd.distccSsh());
        for (var e : extra.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    private static String hostSpec(Server server, Protocol protocol) {
        return Sshd.USER + "@127.0.0.1:" + WRAPPERS.get(server) + protocol.hostOptions;
    }

    /**
     * Ends the agents that bin/distcc started for {@code distccDir}, by process id: SIGTERM, then after a
     * bounded wait SIGKILL.
     */
    private static void stopAgent(Path distccDir) {
        String marker = "--dir " + distccDir.resolve("agent");
        List<ProcessHandle> agents = ProcessHandle.allProcesses().filter(p -> {
            String cmd = Sshd.cmdline(p.pid());
            return cmd.contains("AgentMain") && (cmd.contains(marker + " ") || cmd.endsWith(marker));
        }).toList();
        agents.forEach(ProcessHandle::destroy);
        for (ProcessHandle a : agents) {
            try {
                Poll.until(Duration.ofSeconds(10), () -> Processes.isGone(a.pid()), () -> "agent " + a.pid());
            } catch (AssertionError e) {
                a.destroyForcibly();
            }
        }
    }

    // what happened

    /** One start of the remote command, as the wrapper logged it. */
    record RemoteRun(String user, long pid, String args) {
    }

    private static List<RemoteRun> remoteRuns() {
        if (!Files.exists(runsLog)) {
            return List.of();
        }
        try {
            return Files.readAllLines(runsLog).stream().map(l -> l.split(" ", 3))
                    .map(f -> new RemoteRun(f[0], Long.parseLong(f[1]), f.length > 2 ? f[2] : "")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines saying the job falls back. Split at newlines only: ssh ends its messages with CR LF,
     * and a CR left in a message must not hide the line (see the carriage-return test).
     */
    private static List<String> fallbackLines(ProcessResult r) {
        return Stream.of(r.stderr().split("\n")).filter(l -> l.matches(FALLBACK_LINE)).toList();
    }

    private void awaitNoUserProcesses(String when) {
        Poll.until(SESSION_END, () -> sshd.userProcesses().isEmpty(),
                () -> Sshd.USER + " still runs " + when + ": " + sshd.userProcesses());
    }

    /** Moves {@code output} aside, compiles the same way locally and compares the bytes. */
    private void assertSameAsLocalGcc(String output, String... gccArgs) throws IOException {
        Path distributed = work.resolve(output + ".distcc");
        Files.move(work.resolve(output), distributed, StandardCopyOption.REPLACE_EXISTING);
        List<String> args = new ArrayList<>(List.of(gccArgs));
        args.addAll(List.of("-o", output));
        Gcc.run(work, "gcc", args.toArray(String[]::new));
        assertThat(Files.readAllBytes(distributed)).as("%s through distcc vs local gcc", output)
                .isEqualTo(Files.readAllBytes(work.resolve(output)));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    // the remote side

    /**
     * The remote command: a script that logs who runs it, its pid and its arguments, then execs
     * {@code distccd} (keeping the pid).
     */
    private static Path wrapper(String name, Path distccd) {
        return shared.script("remote/" + name, """
                #!/bin/sh
                echo "$(id -un) $$ $*" >> '%s'
                exec '%s' "$@"
                """.formatted(runsLog, distccd));
    }

    /**
     * Our bin/distccd where the login user can run it: the build itself if that user can reach and
     * read it, else a copy of bin/, lib/ and tools/ in the world-readable scratch tree.
     */
    private static Path ourDistccdForSshUser() {
        Path bin = BinDistccd.path();
        Path home = bin.getParent().getParent();
        String check = "test -x '%1$s/bin/distccd' && test -r '%1$s/lib/jdistcc-server.jar' && test -r '%1$s/tools/jdk.sh'"
                .formatted(home);
        ProcessResult r = Processes.run(List.of("/usr/sbin/runuser", "-u", Sshd.USER, "--", "/bin/sh", "-c", check), Path.of("/"),
                Processes.baseEnvironment(Path.of("/")));
        if (r.exitCode() == 0) {
            return bin;
        }
        Path copy = shared.dir("jdistcc");
        for (String part : List.of("bin", "lib", "tools")) {
            copyTree(home.resolve(part), copy.resolve(part));
        }
        return copy.resolve("bin").resolve("distccd");
    }

    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path d = Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path t = to.resolve(from.relativize(file).toString());
                    Files.copy(file, t, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(
                            Files.isExecutable(file) ? "rwxr-xr-x" : "rw-r--r--"));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
