package org.jdistcc.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;
import org.jdistcc.protocol.IncludedFile;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.server.access.ArgumentPolicy;
import org.jdistcc.server.access.MasqueradePolicy;
import org.jdistcc.server.log.Level;
import org.jdistcc.server.log.Log;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobHandlerTest {
    private static final String SOURCE = "# 0 \"hello.c\"\nint main(void) { return 0; }\n";

    @TempDir
    Path root;
    Path jobs;
    Path bin;
    Path masquerade;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final RequestMemory memory = new RequestMemory(1 << 20);

    @BeforeEach
    void setUp() throws IOException {
        jobs = Files.createDirectory(root.resolve("tmp"));
        bin = Files.createDirectory(root.resolve("bin"));
        masquerade = Files.createDirectory(root.resolve("masq"));
        for (Path dir : List.of(bin, masquerade)) {
            Path gcc = dir.resolve("gcc");
            Files.writeString(gcc, "#!/bin/sh\n");
            Files.setPosixFilePermissions(gcc, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private JobSettings settings(Duration lifetime) {
        return new JobSettings(jobs, Limits.DEFAULT, new MasqueradePolicy(masquerade), ArgumentPolicy.standard(),
                masquerade + ":" + bin, masquerade, Map.of("_DISTCC_SAFEGUARD", "2", "HOME", "/nonexistent"), 0,
                lifetime, false);
    }

    private Served serve(CommandRunner runner, byte[] request) throws InterruptedException {
        return serve(runner, request, memory);
    }

    private Served serve(CommandRunner runner, byte[] request, RequestMemory budget) throws InterruptedException {
        JobHandler handler = new JobHandler(settings(Duration.ZERO), new JobSlots(1), budget, runner,
                Clock.systemUTC(), new Log(logged, Level.DEBUG, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JobReport report = handler.serve(new ByteArrayInputStream(request), out, "127.0.0.1:4000", () -> false);
        return new Served(report, out.toByteArray());
    }

    private static byte[] plain(ProtocolVersion version, String... argv) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RequestWriter(out).write(new Request.Plain(version, List.of(argv), SOURCE.getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private void assertNoJobFilesRemain() throws IOException {
        try (Stream<Path> left = Files.list(jobs)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void successfulCompileSendsTheObjectAndRemovesTheJobDirectory() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("ELF-OBJECT");
        Served s = serve(runner, plain(ProtocolVersion.V1, "gcc", "-O2", "-c", "hello.c", "-o", "hello.o"));

        Response r = s.response(ProtocolVersion.V1);
        assertThat(r.waitStatus()).isZero();
        assertThat(new String(r.object(), StandardCharsets.UTF_8)).isEqualTo("ELF-OBJECT");
        assertThat(s.report().result()).isEqualTo(JobResult.COMPILE_OK);
        assertNoJobFilesRemain();
    }

    @Test
    void compilerRunsOnTheServersPathWithTempFilesInItsOwnDirectory() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        serve(runner, plain(ProtocolVersion.V1, "gcc", "-c", "hello.c", "-o", "hello.o"));

        var cmd = runner.commands.get(0);
        assertThat(cmd.argv().get(0)).isEqualTo(bin.resolve("gcc").toString());
        assertThat(cmd.argv().get(2)).endsWith("/input.i").startsWith(cmd.directory().toString());
        assertThat(cmd.argv().get(4)).isEqualTo(cmd.directory().resolve("output.o").toString());
        assertThat(cmd.directory().getParent()).isEqualTo(jobs);
        assertThat(cmd.environment()).containsEntry("TMPDIR", cmd.directory().toString())
                .containsEntry("_DISTCC_SAFEGUARD", "3").containsEntry("PATH", masquerade + ":" + bin);
    }

    @Test
    void cxxSourceIsCompiledAsPreprocessedCxx() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        serve(runner, plain(ProtocolVersion.V1, "g++", "-c", "x.cpp"));
        assertThat(runner.commands).isEmpty(); // g++ is not in the masquerade directory
        assertThat(log()).contains("127.0.0.1:4000", "g++");

        Files.copy(masquerade.resolve("gcc"), masquerade.resolve("g++"));
        Files.copy(bin.resolve("gcc"), bin.resolve("g++"));
        serve(runner, plain(ProtocolVersion.V1, "g++", "-c", "x.cpp"));
        assertThat(runner.commands.get(0).argv()).anyMatch(a -> a.endsWith("/input.ii"));
    }

    @Test
    void compileErrorSendsStatusAndStderrButNoObject() throws Exception {
        Served s = serve(ScriptedCommandRunner.fails("hello.c:1: error: oops\n"),
                plain(ProtocolVersion.V2, "gcc", "-c", "hello.c", "-o", "hello.o"));

        Response r = s.response(ProtocolVersion.V2);
        assertThat(r.waitStatus()).isEqualTo(0x100);
        assertThat(new String(r.stderr(), StandardCharsets.UTF_8)).isEqualTo("hello.c:1: error: oops\n");
        assertThat(r.object()).isEmpty();
        assertThat(s.report().result()).isEqualTo(JobResult.COMPILE_ERROR);
        assertNoJobFilesRemain();
    }

    @Test
    void jobPastItsLifetimeReportsDistccTimeout() throws Exception {
        Served s = serve(ScriptedCommandRunner.endsWith(Outcome.killed(15, Outcome.Ending.TIMED_OUT)),
                plain(ProtocolVersion.V1, "gcc", "-c", "hello.c"));

        assertThat(s.response(ProtocolVersion.V1).waitStatus()).isEqualTo(118 << 8);
        assertThat(s.report().result()).isEqualTo(JobResult.COMPILE_TIMEOUT);
        assertNoJobFilesRemain();
    }

    @Test
    void clientThatDisconnectsGetsNoReplyAndLeavesNoFiles() throws Exception {
        JobHandler handler = new JobHandler(settings(Duration.ZERO), new JobSlots(1), memory,
                ScriptedCommandRunner.runsUntilCancelled(), Clock.systemUTC(), new Log(logged, Level.DEBUG, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JobReport report = handler.serve(new ByteArrayInputStream(plain(ProtocolVersion.V1, "gcc", "-c", "hello.c")),
                out, "127.0.0.1:4000", () -> true);

        assertThat(out.toByteArray()).isEmpty();
        assertThat(report.result()).isEqualTo(JobResult.CLI_DISCONN);
        assertNoJobFilesRemain();
    }

    @Test
    void missingCompilerIsStatus110WithFailedToExec() throws Exception {
        Files.copy(masquerade.resolve("gcc"), masquerade.resolve("cc"));
        Served s = serve(ScriptedCommandRunner.compiles("x"), plain(ProtocolVersion.V1, "cc", "-c", "hello.c"));

        Response r = s.response(ProtocolVersion.V1);
        assertThat(r.waitStatus()).isEqualTo(110 << 8);
        assertThat(new String(r.stderr(), StandardCharsets.UTF_8)).contains("failed to exec cc");
    }

    @Test
    void refusalsCloseWithoutAReplyAndLogPeerAndReason() throws Exception {
        record Case(String[] argv, String reason) {
        }
        List<Case> cases = List.of(
                new Case(new String[] {"/usr/local/bin/gcc", "-c", "hello.c"}, "absolute path"),
                new Case(new String[] {"sh", "-c", "hello.c"}, "sh"),
                new Case(new String[] {"gcc", "-fplugin=/tmp/evil.so", "-c", "hello.c"}, "-fplugin"),
                new Case(new String[] {"gcc", "-E", "hello.c"}, "not distributable"),
                new Case(new String[] {"gcc", "-c", "a.c", "b.c"}, "not distributable"));
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        for (Case c : cases) {
            logged.reset();
            Served s = serve(runner, plain(ProtocolVersion.V1, c.argv()));
            assertThat(s.reply()).as(Arrays.toString(c.argv())).isEmpty();
            assertThat(s.report().result()).isEqualTo(JobResult.REJ_BAD_REQ);
            assertThat(log()).as(Arrays.toString(c.argv())).contains("127.0.0.1:4000", c.reason());
        }
        assertThat(runner.commands).isEmpty();
        assertNoJobFilesRemain();
    }

    @Test
    void truncatedRequestIsABadRequestWithNoFilesLeft() throws Exception {
        byte[] full = plain(ProtocolVersion.V2, "gcc", "-c", "hello.c");
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        for (int n = 0; n < full.length; n++) {
            Served s = serve(runner, Arrays.copyOf(full, n));
            assertThat(s.reply()).isEmpty();
            assertThat(s.report().result()).isEqualTo(JobResult.REJ_BAD_REQ);
        }
        assertThat(runner.commands).isEmpty();
        assertNoJobFilesRemain();
    }

    @Test
    void requestThatWouldPassTheMemoryBudgetIsRefusedAndItsClaimReturned() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        RequestMemory tiny = new RequestMemory(1024);
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        new RequestWriter(big).write(new Request.Plain(ProtocolVersion.V1, List.of("gcc", "-c", "hello.c"),
                new byte[10_000]));
        Served s = serve(runner, big.toByteArray(), tiny);

        assertThat(s.reply()).isEmpty();
        assertThat(log()).contains("127.0.0.1:4000", "limit of 0 MiB");
        assertThat(tiny.used()).isZero();
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void finishedJobsGiveTheirMemoryBack() throws Exception {
        serve(ScriptedCommandRunner.compiles("x"), plain(ProtocolVersion.V2, "gcc", "-c", "hello.c"));
        assertThat(memory.used()).isZero();
    }

    @Test
    void pumpRequestIsServedInTheClientsDirectoryBelowAFakeRoot() throws Exception {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        new RequestWriter(req).write(new Request.Pump("/home/u", List.of("gcc", "-c", "hello.c"),
                List.of(new IncludedFile.Contents("/home/u/hello.c", new byte[] {'x'}))));
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        Served s = serve(runner, req.toByteArray());

        assertThat(s.response(ProtocolVersion.V3).waitStatus()).isZero();
        assertThat(runner.commands.get(0).directory().toString()).matches(".*/distccd_[A-Za-z0-9]{6}/home/u");
        assertNoJobFilesRemain();
    }

    @Test
    void plainJobRunsTheLanguagesStockClientsSendInTheirPreprocessedForm() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        serve(runner, plain(ProtocolVersion.V1, "gcc", "-x", "c++", "-c", "hello.c", "-o", "hello.o"));
        serve(runner, plain(ProtocolVersion.V2, "gcc", "-c", "-xc", "c.c")); // the scanner tests the next word

        // gcc would otherwise preprocess the client's output again, reading any #include'd server file
        assertThat(runner.commands.get(0).argv()).containsSequence("-x", "c++-cpp-output").doesNotContain("c++");
        assertThat(runner.commands.get(1).argv()).contains("-xcpp-output").doesNotContain("-xc");
    }

    @Test
    void compilerAlwaysGetsALastDashCSoItNeverLinks() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        serve(runner, plain(ProtocolVersion.V1, "gcc", "-c", "hello.c", "-o", "hello.o"));
        serve(runner, plain(ProtocolVersion.V1, "gcc", "-S", "hello.c"));

        // a client word that swallowed -c would make gcc link and run the linker with -Wl, options
        assertThat(runner.commands.get(0).argv()).endsWith("-c");
        assertThat(runner.commands.get(1).argv()).contains("-S").endsWith("-c"); // -S beats -c in gcc and clang
    }

    @Test
    void plainJobThatWouldWriteOrRunOutsideItsDirectoryIsRefusedWithoutAReply() throws Exception {
        List<String[]> hostile = List.of(
                new String[] {"gcc", "-c", "hello.c", "-o", "hello.o", "--output", "/tmp/owned"},
                new String[] {"gcc", "-c", "hello.c", "-MD", "-MF", "/tmp/owned.d"},
                new String[] {"g++", "-fmodules-ts", "-fmodule-mapper=|/bin/touch /tmp/owned", "-c", "x.cc"},
                new String[] {"gcc", "-fcompare-debug=-fplugin=/tmp/evil.so", "-c", "hello.c"},
                new String[] {"gcc", "-c", "hello.c", "-Xlinker", "-o", "hello.o", "/etc/passwd.h"},
                new String[] {"gcc", "-x", "c-header", "-c", "hello.c"},
                new String[] {"gcc", "-include", "-c", "hello.c", "-o", "hello.o", "-Wl,-plugin,/tmp/evil.so"});
        Files.copy(masquerade.resolve("gcc"), masquerade.resolve("g++"));
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        for (String[] argv : hostile) {
            Served s = serve(runner, plain(ProtocolVersion.V2, argv));
            assertThat(s.reply()).as(Arrays.toString(argv)).isEmpty();
            assertThat(s.report().result()).isEqualTo(JobResult.REJ_BAD_REQ);
        }
        assertThat(runner.commands).isEmpty();
        assertNoJobFilesRemain();
    }

    @Test
    void refusalReasonsAreLoggedPrintablyWhateverTheArguments() throws Exception {
        serve(ScriptedCommandRunner.compiles("x"), plain(ProtocolVersion.V1, "gcc", "-c", "a.c", "\u001b[2J\nb.c"));
        serve(ScriptedCommandRunner.compiles("x"), plain(ProtocolVersion.V1, "gcc", "-c", "a.c", "x\u001b.o"));

        assertThat(log()).contains("not distributable", "failed to find -o", "\\x1b[2J\\x0ab.c")
                .doesNotContain("\u001b");
        assertThat(log().lines()).allMatch(line -> line.startsWith("distccd["));
    }

    private record Served(JobReport report, byte[] reply) {
        Response response(ProtocolVersion version) throws IOException {
            return new ResponseReader(new ByteArrayInputStream(reply), Limits.DEFAULT).read(version);
        }
    }
}
