package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secure by default: distccd will not start without naming its clients, refuses clients outside the
 * allow list, compilers outside the allow-list and options that load code. A refused stock client
 * sees the connection dropped, says "failed to distribute" and compiles locally, and the server logs
 * one line naming the client and the reason.
 */
class AccessControlIT {
    private Scratch scratch;
    private Path work;

    @BeforeEach
    void createWorkspace() {
        scratch = Scratch.create("access");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
    }

    @AfterEach
    void removeWorkspace() {
        scratch.close();
    }

    static Stream<Arguments> startupRefusals() {
        return Stream.of(
                Arguments.of("no --allow", List.of("--daemon", "--no-detach", "--port", "PORT"), "--allow"),
                Arguments.of("a mask beyond 32 bits",
                        List.of("--daemon", "--no-detach", "--allow", "1.2.3.4/40", "--port", "PORT"), "1.2.3.4/40"),
                Arguments.of("port 80000",
                        List.of("--daemon", "--no-detach", "--allow", "127.0.0.1", "--port", "80000"), "80000"),
                Arguments.of("an unknown option",
                        List.of("--daemon", "--no-detach", "--allow", "127.0.0.1", "--port", "PORT", "--x"),
                        "distccd: ERROR: --x: unknown option"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startupRefusals")
    void distccdRefusesToStartWithBadArgumentsExitingWith101AndWritingNoPidFile(String why, List<String> args,
                                                                                 String message) {
        Path pidFile = scratch.dir("run").resolve("distccd.pid");
        List<String> all = new ArrayList<>();
        for (String a : args) {
            all.add(a.equals("PORT") ? Integer.toString(BinDistccd.freePort()) : a);
        }
        all.addAll(List.of("--pid-file", pidFile.toString(), "--log-stderr"));

        ProcessResult r = BinDistccd.run(all, BinDistccd.environment(scratch.dir("tmp"), Map.of()), work);

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(101);
        assertThat(r.stderr()).contains(message);
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void clientOutsideTheAllowListIsRefusedWithOneLogLineAndTheStockClientCompilesLocally() throws IOException {
        try (InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"), "--allow", "127.0.0.2")) {
            ProcessResult r = StockDistcc.toHosts(server.hostSpec(""), scratch.dir("client"))
                    .run(work, "gcc", "-c", "hello.c", "-o", "hello.o");

            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr()).contains("failed to distribute");
            assertThat(server.logLines("127.0.0.1", "denied by access list")).as(server.log()).hasSize(1);
            assertThat(server.reports()).isEmpty();
            assertLocalObjectIsCorrect("hello.o", "-c", "hello.c");
        }
    }

    @Test
    void compilerNameOutsideTheMasqueradeDirectoryIsRefusedAndTheClientFallsBack() throws IOException {
        // allows only "gcc"; the entry is never run (it would fail the compile if it were)
        scratch.script("masquerade/gcc", "#!/bin/sh\nexit 99\n");
        try (InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"),
                "--masquerade-dir", scratch.dir("masquerade").toString())) {
            StockDistcc client = StockDistcc.toHosts(server.hostSpec(""), scratch.dir("client"));

            // the stock client sends gcc as x86_64-linux-gnu-gcc, which this directory does not list
            ProcessResult refused = client.run(work, "gcc", "-c", "hello.c", "-o", "hello.o");

            assertThat(refused.exitCode()).as(refused.describe()).isZero();
            assertThat(refused.stderr()).contains("failed to distribute");
            assertThat(server.logLines("127.0.0.1", "x86_64-linux-gnu-gcc", "whitelist")).as(server.log()).hasSize(1);
            assertThat(server.reports(JobResult.COMPILE_OK)).isEmpty();
            assertLocalObjectIsCorrect("hello.o", "-c", "hello.c");

            // the listed name itself is served, by the real gcc on the server's PATH
            ProcessResult allowed = client.with("DISTCC_NO_REWRITE_CROSS", "1").with("DISTCC_FALLBACK", "0")
                    .run(work, "gcc", "-c", "hello.c", "-o", "allowed.o");
            assertThat(allowed.exitCode()).as(allowed.describe() + "\n" + server.log()).isZero();
            assertThat(server.awaitReport(JobResult.COMPILE_OK, "hello.c").compiler()).isEqualTo("gcc");
        }
    }

    @Test
    void compilerGivenByAPathOutsideUsrBinIsRefusedAndTheClientFallsBack() throws IOException {
        Path toolchain = scratch.dir("toolchain/bin");
        Files.createSymbolicLink(toolchain.resolve("gcc"), Path.of("/usr/bin/gcc"));
        try (InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"))) {
            String gcc = toolchain.resolve("gcc").toString();
            ProcessResult r = StockDistcc.toHosts(server.hostSpec(""), scratch.dir("client"))
                    .run(work, gcc, "-c", "hello.c", "-o", "hello.o");

            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr()).contains("failed to distribute");
            assertThat(server.logLines("127.0.0.1", gcc, "absolute path")).as(server.log()).hasSize(1);
            assertThat(server.reports(JobResult.COMPILE_OK)).isEmpty();
            assertLocalObjectIsCorrect("hello.o", "-c", "hello.c");
        }
    }

    @Test
    void pluginOptionIsRefusedAndTheClientFallsBackToALocalCompileWithThePlugin() throws IOException {
        // a do-nothing gcc plugin, so that the client's preprocessor and local fallback can load it
        scratch.write("plugin/x.c", """
                int plugin_is_GPL_compatible;
                int plugin_init(void *info, void *version) { (void) info; (void) version; return 0; }
                """);
        Gcc.run(scratch.dir("plugin"), "gcc", "-shared", "-fPIC", "-o", work.resolve("x.so").toString(), "x.c");
        try (InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"))) {
            ProcessResult r = StockDistcc.toHosts(server.hostSpec(""), scratch.dir("client"))
                    .run(work, "gcc", "-fplugin=./x.so", "-c", "hello.c", "-o", "hello.o");

            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr()).contains("failed to distribute");
            assertThat(server.logLines("127.0.0.1", "-fplugin=./x.so", "refused")).as(server.log()).hasSize(1);
            assertThat(server.reports(JobResult.COMPILE_OK)).isEmpty();
            assertLocalObjectIsCorrect("hello.o", "-fplugin=./x.so", "-c", "hello.c");
        }
    }

    /** The client's local fallback made the object local gcc makes. */
    private void assertLocalObjectIsCorrect(String object, String... gccArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(gccArgs));
        args.addAll(List.of("-o", "reference.o"));
        Gcc.run(work, "gcc", args.toArray(String[]::new));
        assertThat(Files.readAllBytes(work.resolve(object))).isNotEmpty()
                .isEqualTo(Files.readAllBytes(work.resolve("reference.o")));
    }
}
