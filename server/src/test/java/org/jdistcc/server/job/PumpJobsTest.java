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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdistcc.compiler.process.Command;
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

/** Pump (protocol 3) jobs through {@link JobHandler}, with a scripted compiler. */
class PumpJobsTest {
    private static final String CWD = "/home/u/src";
    private static final List<String> ARGV = List.of("gcc", "-MD", "-Iinc", "-I/home/u/src/inc", "-c", "hello.c",
            "-o", "hello.o", "-MT", "hello.o");

    @TempDir
    Path root;
    Path jobs;
    Path outside;
    Path masquerade;
    Path bin;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        jobs = Files.createDirectory(root.resolve("tmp"));
        outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "untouched");
        bin = Files.createDirectory(root.resolve("bin"));
        masquerade = Files.createDirectory(root.resolve("masq"));
        for (Path dir : List.of(bin, masquerade)) {
            Path gcc = dir.resolve("gcc");
            Files.writeString(gcc, "#!/bin/sh\n");
            Files.setPosixFilePermissions(gcc, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private record Served(JobReport report, byte[] reply) {
        Response response() throws IOException {
            return new ResponseReader(new ByteArrayInputStream(reply), Limits.DEFAULT).read(ProtocolVersion.V3);
        }
    }

    private Served serve(ScriptedCommandRunner runner, Limits limits, Request.Pump request) throws Exception {
        JobSettings settings = new JobSettings(jobs, limits, new MasqueradePolicy(masquerade), ArgumentPolicy.standard(),
                masquerade + ":" + bin, masquerade, Map.of("HOME", "/nonexistent"), 0, Duration.ZERO, false);
        JobHandler handler = new JobHandler(settings, new JobSlots(1), new RequestMemory(1 << 20), runner,
                Clock.systemUTC(), new Log(logged, Level.DEBUG, 1));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new RequestWriter(wire).write(request);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JobReport report = handler.serve(new ByteArrayInputStream(wire.toByteArray()), out, "127.0.0.1:4000",
                () -> false);
        return new Served(report, out.toByteArray());
    }

    private Served serve(ScriptedCommandRunner runner, List<String> argv, IncludedFile... files) throws Exception {
        return serve(runner, Limits.DEFAULT, new Request.Pump(CWD, argv, List.of(files)));
    }

    private static IncludedFile file(String name, String text) {
        return new IncludedFile.Contents(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private void assertNothingLeft() throws IOException {
        try (Stream<Path> left = Files.list(jobs)) {
            assertThat(left).isEmpty();
        }
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("untouched");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).hasSize(1);
        }
    }

    @Test
    void pumpJobCompilesInTheClientsDirectoryBelowTheRootAndRepliesWithObjectAndDotD() throws Exception {
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("ELF-OBJECT");
        Served s = serve(runner, ARGV, file(CWD + "/hello.c", "int main(void) { return 0; }\n"),
                file(CWD + "/inc/hello.h", "#define X 1\n"));

        Command cmd = runner.commands.get(0);
        String fakeRoot = cmd.directory().toString().substring(0, cmd.directory().toString().length() - CWD.length());
        assertThat(cmd.directory().toString()).endsWith(CWD);
        assertThat(Path.of(fakeRoot).getFileName().toString()).matches("distccd_[A-Za-z0-9]{6}");
        assertThat(cmd.argv()).contains("-I" + fakeRoot + "/home/u/src/inc", "-Iinc", "-MD", "-MF", "hello.c")
                .doesNotContain("-MT", "hello.o").endsWith("-c");
        Response r = s.response();
        assertThat(r.waitStatus()).isZero();
        assertThat(new String(r.object(), StandardCharsets.UTF_8)).isEqualTo("ELF-OBJECT");
        assertThat(r.dependencies()).isNotNull();
        assertThat(s.report().result()).isEqualTo(JobResult.COMPILE_OK);
        assertNothingLeft();
    }

    @Test
    void hostileRequestsAreRefusedWithOneLogLineNoReplyAndNothingLeft() throws Exception {
        String up = "../".repeat(30);
        String out = outside.toRealPath().toString();
        record Case(String why, List<String> argv, String cwd, List<IncludedFile> files, String logged) {
        }
        List<Case> cases = List.of(
                new Case("dot-dot", ARGV, CWD, List.of(file(CWD + "/../../../.." + out + "/victim", "x")), "'..'"),
                new Case("dot-dot cwd", ARGV, "/home/../..", List.of(), "'..'"),
                new Case("relative escape", ARGV, CWD, List.of(new IncludedFile.Link(CWD + "/x", up + "etc")),
                        "leads outside the root"),
                new Case("write through escape", ARGV, CWD, List.of(new IncludedFile.Link(out, up + out.substring(1)),
                        file(out + "/victim", "pwned")), "leads outside the root"),
                new Case("absolute link to /etc, then a write through it", ARGV, CWD,
                        List.of(new IncludedFile.Link(CWD + "/etc", "/etc"), file(CWD + "/etc/passwd", "pwned")),
                        "leads nowhere"),
                new Case("duplicate", ARGV, CWD, List.of(file(CWD + "/a.h", "1"), file(CWD + "/a.h", "2")),
                        "already made"),
                new Case("name is a directory", ARGV, CWD, List.of(file(CWD, "x")), "already made"),
                new Case("plugin", List.of("gcc", "-fplugin=/x.so", "-c", "hello.c", "-o", "hello.o"), CWD, List.of(),
                        "-fplugin"),
                new Case("-Wp,-MD,FILE", List.of("gcc", "-Wp,-MD,/etc/x", "-c", "hello.c", "-o", "hello.o"), CWD,
                        List.of(), "-Wp,"),
                new Case("-MT swallowing -c", List.of("gcc", "hello.c", "-o", "hello.o", "-MT", "-c"), CWD, List.of(),
                        "-MT"));
        ScriptedCommandRunner runner = ScriptedCommandRunner.compiles("x");
        for (Case c : cases) {
            logged.reset();
            Served s = serve(runner, Limits.DEFAULT, new Request.Pump(c.cwd(), c.argv(), c.files()));
            assertThat(s.reply()).as(c.why()).isEmpty();
            assertThat(s.report().result()).as(c.why()).isEqualTo(JobResult.REJ_BAD_REQ);
            assertThat(log().lines().filter(l -> l.contains("refused")).toList()).as(c.why()).hasSize(1)
                    .allMatch(l -> l.contains("127.0.0.1:4000") && l.contains(c.logged()));
            assertNothingLeft();
        }
        assertThat(runner.commands).isEmpty();
        assertThat(Path.of("/etc/passwd")).content().doesNotContain("pwned");
    }

    @Test
    void tooManyFilesIsABadRequestBeforeAnythingIsWritten() throws Exception {
        List<IncludedFile> files = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            files.add(file(CWD + "/h" + i + ".h", ""));
        }
        Limits ten = new Limits(100, 4096, 1 << 20, 10, 1 << 20);
        Served s = serve(ScriptedCommandRunner.compiles("x"), ten, new Request.Pump(CWD, ARGV, files));

        assertThat(s.reply()).isEmpty();
        assertThat(s.report().result()).isEqualTo(JobResult.REJ_BAD_REQ);
        assertThat(log()).contains("NFIL", "exceeds the limit of 10");
        assertNothingLeft();
    }

    @Test
    void compileErrorSendsNoObjectAndNoDotD() throws Exception {
        Served s = serve(ScriptedCommandRunner.fails("hello.c:1: error\n"), ARGV, file(CWD + "/hello.c", "oops"));
        Response r = s.response();
        assertThat(r.waitStatus()).isEqualTo(0x100);
        assertThat(r.object()).isEmpty();
        assertThat(r.dependencies()).isNull();
        assertNothingLeft();
    }
}
