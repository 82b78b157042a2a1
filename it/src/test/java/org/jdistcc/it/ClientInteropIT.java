package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.OurDistcc;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.testing.StockDistccd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our client against the stock Debian {@code distccd} 3.4 and against our own distccd, in protocol 1
 * (plain) and 2 ({@code ,lzo}), with {@code DISTCC_FALLBACK=0} so that a distribution failure fails
 * the test instead of quietly compiling here. Every output is compared byte for byte with what local
 * gcc makes of the same command in the same directory, and the server's own record (its log, or our
 * server's job report) proves the compile ran there. Every case runs twice: with the client engine in
 * this JVM, and through the {@code bin/distcc} command (the native front-end handing the job to its
 * agent, one agent per run's {@code DISTCC_DIR}, all killed after each test).
 */
@Timeout(180)
class ClientInteropIT {
    /** How the client runs: the engine in this JVM, or the {@code bin/distcc} command and its agent. */
    enum Client { ENGINE, FRONT_END }

    /** Which distccd the client talks to. */
    enum Server { STOCK, OURS }

    /** The host options that select the protocol version. */
    enum Protocol {
        V1(""), V2(",lzo");

        final String hostOptions;

        Protocol(String hostOptions) {
            this.hostOptions = hostOptions;
        }
    }

    static Stream<Arguments> matrix() {
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

    static Stream<Arguments> clientsAndServers() {
        List<Arguments> all = new ArrayList<>();
        for (Client c : Client.values()) {
            for (Server s : Server.values()) {
                all.add(Arguments.of(c, s));
            }
        }
        return all.stream();
    }

    private Scratch scratch;
    private Path work;
    private StockDistccd stock;
    private InProcessDistccd ours;

    @BeforeEach
    void setUp() throws Exception {
        scratch = Scratch.create("client-interop");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
        scratch.write("work/hello.cpp", Sources.HELLO_CPP);
        stock = StockDistccd.start(Path.of("/usr/bin/distccd"), scratch.dir("stock"),
                Processes.baseEnvironment(scratch.dir("stock")), Duration.ofSeconds(170));
        ours = InProcessDistccd.start(scratch.dir("ours-tmp"), "--jobs", "2");
    }

    @AfterEach
    void tearDown() {
        Agents.killUnder(scratch.root());
        if (stock != null) {
            stock.close();
        }
        if (ours != null) {
            ours.close();
        }
        scratch.close();
    }

    private String hostSpec(Server server, Protocol protocol) {
        int port = server == Server.STOCK ? stock.port() : ours.port();
        return "127.0.0.1:" + port + protocol.hostOptions;
    }

    private OurDistcc client(Client client, Server server, Protocol protocol) {
        OurDistcc c = OurDistcc.toHosts(hostSpec(server, protocol), scratch.dir("client")).with("DISTCC_FALLBACK", "0");
        return client == Client.FRONT_END ? c.throughFrontEnd() : c;
    }

    /**
     * Proof that the server compiled {@code input} with {@code result}: our server's job report, or
     * the stock server's job summary line in its log ("COMPILE_OK ... gcc hello.c").
     */
    private void assertRanOnServer(Server server, JobResult result, String input) {
        if (server == Server.OURS) {
            ours.awaitReport(result, input);
            return;
        }
        Poll.until(Duration.ofSeconds(30), () -> stock.logText().lines()
                        .anyMatch(l -> l.contains("dcc_job_summary") && l.contains(" " + result.name() + " ")
                                && l.endsWith(" " + input)),
                () -> "no " + result + " job summary for " + input + " in the stock distccd log:\n" + stock.logText());
    }

    /**
     * Runs {@code distcc DRIVER ARGS} through {@code server}, then {@code DRIVER ARGS} with local gcc
     * in the same directory (so that paths in debug info agree), having renamed the distributed
     * outputs to {@code NAME.distcc} in between.
     */
    private ProcessResult distributedThenLocal(Client client, Server server, Protocol protocol, List<String> outputs,
                                               String driver, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(driver));
        command.addAll(List.of(args));
        ProcessResult remote = client(client, server, protocol).run(work, command.toArray(String[]::new));
        assertThat(remote.exitCode()).as("distcc\n%s\nserver log:\n%s", remote.describe(), serverLog(server))
                .isZero();
        for (String out : outputs) {
            Files.move(work.resolve(out), work.resolve(out + ".distcc"), StandardCopyOption.REPLACE_EXISTING);
        }
        Gcc.run(work, driver, args);
        return remote;
    }

    private String serverLog(Server server) {
        return server == Server.STOCK ? stock.logText() : ours.log();
    }

    private void assertSameBytes(String output) throws IOException {
        byte[] distributed = Files.readAllBytes(work.resolve(output + ".distcc"));
        byte[] local = Files.readAllBytes(work.resolve(output));
        assertThat(distributed).as("%s through distcc, compared with local gcc", output).isNotEmpty()
                .isEqualTo(local);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void cObjectAtO2IsByteIdenticalToLocalGcc(Client client, Server server, Protocol protocol) throws IOException {
        ProcessResult r = distributedThenLocal(client, server, protocol, List.of("hello.o"), "gcc", "-O2", "-c",
                "hello.c", "-o", "hello.o");

        assertSameBytes("hello.o");
        assertThat(r.stderr()).isEmpty();
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void cxxObjectAtO2IsByteIdenticalToLocalGpp(Client client, Server server, Protocol protocol) throws IOException {
        distributedThenLocal(client, server, protocol, List.of("hello.o"), "g++", "-O2", "-c", "hello.cpp", "-o",
                "hello.o");

        assertSameBytes("hello.o");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.cpp");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void debugObjectWithoutColumnInfoIsByteIdenticalToLocalGcc(Client client, Server server, Protocol protocol)
            throws IOException {
        distributedThenLocal(client, server, protocol, List.of("hello.o"), "gcc", "-O2", "-g", "-gno-column-info", "-c",
                "hello.c", "-o", "hello.o");

        assertSameBytes("hello.o");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void debugObjectWithColumnInfoEqualsLocalPreprocessThenCompile(Client client, Server server, Protocol protocol)
            throws IOException {
        ProcessResult r = client(client, server, protocol).run(work, "g++", "-O2", "-g", "-c", "hello.cpp", "-o",
                "hello.o");
        assertThat(r.exitCode()).as(r.describe()).isZero();

        // gcc takes column numbers from the .ii, as the server does, not from the source
        Gcc.run(work, "g++", "-O2", "-g", "-E", "hello.cpp", "-o", "local.ii");
        Gcc.run(work, "g++", "-O2", "-g", "-c", "local.ii", "-o", "local.o");
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isNotEmpty()
                .isEqualTo(Files.readAllBytes(work.resolve("local.o")));
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.cpp");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void compileErrorIsRelayedWithGccsMessageAndExitOne(Client client, Server server, Protocol protocol) {
        scratch.write("work/bad.c", "int main(void) {\n    return undefined_symbol;\n}\n");

        ProcessResult r = client(client, server, protocol).with("DISTCC_SKIP_LOCAL_RETRY", "1")
                .run(work, "gcc", "-c", "bad.c", "-o", "bad.o");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).containsOnlyOnce("bad.c:2:12: error: 'undefined_symbol' undeclared");
        assertThat(work.resolve("bad.o")).doesNotExist();
        assertRanOnServer(server, JobResult.COMPILE_ERROR, "bad.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void dependencyFileNamedByMfMatchesLocalGcc(Client client, Server server, Protocol protocol) throws IOException {
        distributedThenLocal(client, server, protocol, List.of("hello.o", "hello.d"), "gcc", "-O2", "-MD", "-MF",
                "hello.d", "-c", "hello.c", "-o", "hello.o");

        assertSameBytes("hello.o");
        assertSameBytes("hello.d");
        assertThat(Files.readString(work.resolve("hello.d.distcc"))).startsWith("hello.o:").contains("hello.h");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void dependencyFileBesideAnObjectInASubdirectoryMatchesLocalGcc(Client client, Server server, Protocol protocol)
            throws IOException {
        scratch.dir("work/sub");

        distributedThenLocal(client, server, protocol, List.of("sub/hello.o", "sub/hello.d"), "gcc", "-O2", "-MD", "-c",
                "hello.c", "-o", "sub/hello.o");

        assertSameBytes("sub/hello.o");
        assertSameBytes("sub/hello.d");
        assertThat(Files.readString(work.resolve("sub/hello.d.distcc"))).startsWith("sub/hello.o:");
        assertThat(Scratch.contents(work.resolve("sub"))).as("no temporary file left")
                .containsExactlyInAnyOrder("hello.d", "hello.d.distcc", "hello.o", "hello.o.distcc");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void mmdWithoutDashOMatchesLocalGcc(Client client, Server server, Protocol protocol) throws IOException {
        distributedThenLocal(client, server, protocol, List.of("hello.o", "hello.d"), "gcc", "-MMD", "-c", "hello.c");

        assertSameBytes("hello.o");
        assertSameBytes("hello.d");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void withoutDashOTheObjectGetsTheImpliedName(Client client, Server server, Protocol protocol) throws IOException {
        distributedThenLocal(client, server, protocol, List.of("hello.o"), "gcc", "-O2", "-c", "hello.c");

        assertSameBytes("hello.o");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void assemblyWithDashSMatchesLocalGcc(Client client, Server server, Protocol protocol) throws IOException {
        distributedThenLocal(client, server, protocol, List.of("hello.s", "hello.d"), "gcc", "-O2", "-S", "-MD",
                "hello.c");

        assertSameBytes("hello.s");
        assertSameBytes("hello.d");
        assertThat(Files.readString(work.resolve("hello.s.distcc"))).contains(".file\t\"hello.c\"");
        assertThat(Files.readString(work.resolve("hello.d.distcc"))).as("gcc's target for -S without -o")
                .startsWith("hello.o:");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Server.class)
    void masqueradeLinkToBinDistccCompilesRemotely(Server server) throws IOException {
        Path links = scratch.dir("links");
        Path gcc = Files.createSymbolicLink(links.resolve("gcc"), OurDistcc.binPath());

        ProcessResult r = client(Client.FRONT_END, server, Protocol.V2).runProgram(work,
                links + ":/usr/local/bin:/usr/bin:/bin", gcc.toString(), "-O2", "-c", "hello.c", "-o", "hello.o");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        Files.move(work.resolve("hello.o"), work.resolve("hello.o.distcc"));

        Gcc.run(work, "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");
        assertSameBytes("hello.o");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsAndServers")
    void implicitCompilerIsSentAsTheCompilerCcLinksTo(Client client, Server server) throws IOException {
        ProcessResult r = client(client, server, Protocol.V1).run(work, "-O2", "-c", "hello.c", "-o", "hello.o");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        Files.move(work.resolve("hello.o"), work.resolve("hello.o.distcc"));

        Gcc.run(work, "cc", "-O2", "-c", "hello.c", "-o", "hello.o");
        assertSameBytes("hello.o");
        assertRanOnServer(server, JobResult.COMPILE_OK, "hello.c");
        if (server == Server.STOCK) {
            // as the stock client does: cc -> gcc -> x86_64-linux-gnu-gcc
            assertThat(stock.logText()).contains(org.jdistcc.compiler.GnuHost.gccPrefix() + "-gcc hello.c");
        }
    }
}
