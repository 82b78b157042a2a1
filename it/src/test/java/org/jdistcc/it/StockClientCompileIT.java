package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.testing.CaptureProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stock distcc 3.4 client compiles through our distccd unchanged, in protocol 1 (plain) and 2
 * (LZO), with fallback off so that a failed distribution fails the test. Every result is compared
 * byte for byte with what local gcc makes of the same command in the same directory, and the
 * server's job report proves the compile ran there.
 */
class StockClientCompileIT {
    /** The host options that select the protocol version the client speaks. */
    enum Protocol {
        PLAIN("", ProtocolVersion.V1), LZO(",lzo", ProtocolVersion.V2);

        final String hostOptions;
        final ProtocolVersion version;

        Protocol(String hostOptions, ProtocolVersion version) {
            this.hostOptions = hostOptions;
            this.version = version;
        }
    }

    private Scratch scratch;
    private InProcessDistccd server;
    private Path work;

    @BeforeEach
    void startServer() {
        scratch = Scratch.create("stock-client");
        server = InProcessDistccd.start(scratch.dir("server-tmp"), "--jobs", "2");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
        scratch.write("work/hello.cpp", Sources.HELLO_CPP);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        scratch.close();
    }

    private StockDistcc client(Protocol protocol) {
        return StockDistcc.toHosts(server.hostSpec(protocol.hostOptions), scratch.dir("client"))
                .with("DISTCC_FALLBACK", "0");
    }

    /**
     * Runs {@code distcc DRIVER ARGS} and then {@code DRIVER ARGS} locally in the same directory (so
     * that paths recorded in debug info agree); the distributed outputs are renamed to
     * {@code NAME.distcc} in between. Returns the client's result.
     */
    private ProcessResult distributedThenLocal(Protocol protocol, List<String> outputs, String driver,
                                               String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(driver));
        command.addAll(List.of(args));
        ProcessResult remote = client(protocol).run(work, command.toArray(String[]::new));
        assertThat(remote.exitCode()).as("distcc\n%s\nserver log:\n%s", remote.describe(), server.log()).isZero();
        for (String out : outputs) {
            Files.move(work.resolve(out), work.resolve(out + ".distcc"), StandardCopyOption.REPLACE_EXISTING);
        }
        Gcc.run(work, driver, args);
        return remote;
    }

    private void assertSameBytes(String output) throws IOException {
        byte[] distributed = Files.readAllBytes(work.resolve(output + ".distcc"));
        byte[] local = Files.readAllBytes(work.resolve(output));
        assertThat(distributed).as("%s through distcc, compared with local gcc", output).isNotEmpty()
                .isEqualTo(local);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void serverAnswersInTheProtocolVersionTheHostOptionsSelect(Protocol protocol) throws Exception {
        CaptureProxy.Capture capture;
        try (CaptureProxy proxy = CaptureProxy.start(server.port(), Duration.ofSeconds(60))) {
            ProcessResult r = StockDistcc.toHosts("127.0.0.1:" + proxy.port() + protocol.hostOptions,
                    scratch.dir("client")).with("DISTCC_FALLBACK", "0")
                    .run(work, "gcc", "-c", "hello.c", "-o", "hello.o");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            capture = proxy.await(Duration.ofSeconds(60));
        }

        String version = String.format("%08x", protocol.version.number());
        assertThat(new String(capture.request(), 0, 12, StandardCharsets.US_ASCII)).isEqualTo("DIST" + version);
        assertThat(new String(capture.response(), 0, 12, StandardCharsets.US_ASCII)).isEqualTo("DONE" + version);
        Response response = new ResponseReader(new ByteArrayInputStream(capture.response()), Limits.DEFAULT)
                .read(protocol.version);
        assertThat(response.waitStatus()).isZero();
        assertThat(response.object()).isEqualTo(Files.readAllBytes(work.resolve("hello.o")));
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void cObjectAtO2IsByteIdenticalToLocalGcc(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.o"), "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertSameBytes("hello.o");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void cxxObjectAtO2IsByteIdenticalToLocalGpp(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.o"), "g++", "-O2", "-c", "hello.cpp", "-o", "hello.o");

        assertSameBytes("hello.o");
        server.awaitReport(JobResult.COMPILE_OK, "hello.cpp");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void debugObjectWithoutColumnInfoIsByteIdenticalToDirectLocalCompile(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.o"), "gcc", "-O2", "-g", "-gno-column-info", "-c", "hello.c",
                "-o", "hello.o");

        assertSameBytes("hello.o");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void debugObjectWithColumnInfoEqualsLocalPreprocessThenCompile(Protocol protocol) throws IOException {
        ProcessResult remote = client(protocol).run(work, "g++", "-O2", "-g", "-c", "hello.cpp", "-o", "hello.o");
        assertThat(remote.exitCode()).as(remote.describe()).isZero();

        // gcc reads the column numbers from the .ii, as the server does, not from the source
        Gcc.run(work, "g++", "-O2", "-g", "-E", "hello.cpp", "-o", "local.ii");
        Gcc.run(work, "g++", "-O2", "-g", "-c", "local.ii", "-o", "local.o");
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isNotEmpty()
                .isEqualTo(Files.readAllBytes(work.resolve("local.o")));
        server.awaitReport(JobResult.COMPILE_OK, "hello.cpp");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void defineWithSpacesAndQuotesReachesTheObjectIntact(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.o"), "gcc", "-O2", "-DMSG=\"a b \\\"q\\\"\"", "-c", "hello.c",
                "-o", "hello.o");

        assertSameBytes("hello.o");
        assertThat(Files.readString(work.resolve("hello.o.distcc"), StandardCharsets.ISO_8859_1))
                .contains("a b \"q\"");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void dependencyFileIsWrittenByTheClientAndMatchesLocalGcc(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.o", "hello.d"), "gcc", "-O2", "-MD", "-MF", "hello.d", "-c",
                "hello.c", "-o", "hello.o");

        assertSameBytes("hello.o");
        assertSameBytes("hello.d");
        assertThat(Files.readString(work.resolve("hello.d.distcc"))).startsWith("hello.o:").contains("hello.h");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void assemblyWithDashSMatchesLocalGcc(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.s"), "gcc", "-O2", "-S", "hello.c");

        assertSameBytes("hello.s");
        assertThat(Files.readString(work.resolve("hello.s.distcc"))).contains(".file\t\"hello.c\"");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void withoutDashOTheObjectGetsTheImpliedName(Protocol protocol) throws IOException {
        distributedThenLocal(protocol, List.of("hello.o"), "gcc", "-O2", "-c", "hello.c");

        assertSameBytes("hello.o");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
    }

    @Test
    void saveTempsCompileLeavesNothingInTheServerTmpdir() throws IOException {
        // distccd 3.4 leaves the .s of -save-temps behind in its TMPDIR; every job file must go here
        distributedThenLocal(Protocol.LZO, List.of("hello.o"), "gcc", "-save-temps", "-O2", "-c", "hello.c",
                "-o", "hello.o");

        assertSameBytes("hello.o");
        server.awaitReport(JobResult.COMPILE_OK, "hello.c");
        assertThat(Scratch.contents(server.tmpDir())).as("server TMPDIR").isEmpty();
    }
}
