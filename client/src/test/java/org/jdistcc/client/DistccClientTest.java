package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdistcc.compiler.GnuHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as a whole for what needs no server: distcc's own options, bad arguments, the recursion
 * guard, and which program a local run really starts (masquerade PATH, cross rewrite). The
 * "compilers" are scripts that write one line about how they were started to {@code $MARKER}.
 */
class DistccClientTest {
    private static final String CROSS_GCC = GnuHost.gccPrefix() + "-gcc";

    @TempDir
    Path tmp;

    private Path bin;
    private Path marker;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectory(tmp.resolve("bin"));
        marker = tmp.resolve("marker");
        Path distccDir = Files.createDirectory(tmp.resolve("distcc-dir"));
        env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("HOME", tmp.toString());
        env.put("DISTCC_DIR", distccDir.toString());
        env.put("DISTCC_HOSTS", "localhost");
        env.put("MARKER", marker.toString());
    }

    /** A fake compiler: records "program|args|PATH|_DISTCC_SAFEGUARD" and exits {@code exit}. */
    private Path fakeCompiler(Path dir, String name, int exit) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\necho \"$0|$*|$PATH|$_DISTCC_SAFEGUARD\" >> \"$MARKER\"\nexit " + exit + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private List<String> started() throws IOException {
        return Files.exists(marker) ? Files.readAllLines(marker) : List.of();
    }

    private ClientRun.Result run(String... argv) throws InterruptedException {
        return ClientRun.run(tmp, env, List.of(argv));
    }

    @Test
    void helpPrintsVersionAndUsageOnStdout() throws Exception {
        ClientRun.Result r = run("distcc", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).startsWith("distcc 3.4 ").contains("Usage:").contains("--show-hosts");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void versionPrintsTheVersionLineDistccScriptsMatch() throws Exception {
        ClientRun.Result r = run("/usr/local/bin/distcc", "--version");

        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).startsWith("distcc 3.4 " + GnuHost.triple() + "\n");
    }

    @Test
    void showHostsPrintsEveryHostTokenOnItsOwnLine() throws Exception {
        env.put("DISTCC_HOSTS", "localhost/3  127.0.0.1:4000/2,lzo # comment\n  @build --localslots=9");

        ClientRun.Result r = run("distcc", "--show-hosts");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout().lines()).containsExactly("localhost/3", "127.0.0.1:4000/2,lzo", "@build");
    }

    @Test
    void dashJPrintsTheSumOfAllSlots() throws Exception {
        env.put("DISTCC_HOSTS", "localhost/3 127.0.0.1:4000/2 10.0.0.9");

        ClientRun.Result r = run("distcc", "-j");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).isEqualTo("9\n");
    }

    @Test
    void distccWithoutAnOperandExits101() throws Exception {
        ClientRun.Result r = run("distcc");

        assertThat(r.exit()).isEqualTo(101);
        assertThat(r.stderr()).contains("missing option/operand");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void badIoTimeoutExits101BeforeRunningAnything() throws Exception {
        fakeCompiler(bin, "gcc", 0);
        env.put("DISTCC_IO_TIMEOUT", "0");

        ClientRun.Result r = run("distcc", "gcc", "-c", "x.c");

        assertThat(r.exit()).isEqualTo(101);
        assertThat(r.stderr()).contains("DISTCC_IO_TIMEOUT");
        assertThat(started()).isEmpty();
    }

    @Test
    void versionAndHelpAnswerDespiteABadIoTimeoutAsStocksDo() throws Exception {
        env.put("DISTCC_IO_TIMEOUT", "abc");

        ClientRun.Result version = run("distcc", "--version");
        ClientRun.Result help = run("distcc", "--help");

        assertThat(version.exit()).isZero();
        assertThat(version.stdout()).startsWith("distcc 3.4");
        assertThat(help.exit()).isZero();
        assertThat(help.stdout()).startsWith("distcc 3.4").contains("Usage:");
        assertThat(version.stderr() + help.stderr()).isEmpty();
    }

    @Test
    void masqueradeLinkNamedLikeAnOptionExits101() throws Exception {
        ClientRun.Result r = run(tmp.resolve("--bogus").toString(), "-c", "x.c");

        assertThat(r.exit()).isEqualTo(101);
        assertThat(r.stderr()).contains("unrecognized distcc option");
    }

    @Test
    void recursionGuardRefusesADistccStartedByDistcc() throws Exception {
        fakeCompiler(bin, "gcc", 0);
        env.put("_DISTCC_SAFEGUARD", "1");

        ClientRun.Result r = run("distcc", "gcc", "-c", "x.c");

        assertThat(r.exit()).isEqualTo(111);
        assertThat(r.stderr()).contains("invoked itself recursively");
        assertThat(started()).isEmpty();
    }

    @Test
    void childrenSeeTheRecursionGuardRaised() throws Exception {
        fakeCompiler(bin, "gcc", 0);

        ClientRun.Result r = run("distcc", "gcc", "-o", "prog", "x.o");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().endsWith("|1");
    }

    @Test
    void exitStatusOfALocalCompilerIsPassedOn() throws Exception {
        fakeCompiler(bin, "gcc", 3);

        assertThat(run("distcc", "gcc", "-o", "prog", "x.o").exit()).isEqualTo(3);
    }

    @Test
    void missingCompilerExits110() throws Exception {
        ClientRun.Result r = run("distcc", "no-such-cc", "-o", "prog", "x.o");

        assertThat(r.exit()).isEqualTo(110);
        assertThat(r.stderr()).contains("failed to exec no-such-cc");
    }

    @Test
    void crossRewriteAppliesToLocalRuns() throws Exception {
        fakeCompiler(bin, "gcc", 0);
        Path cross = fakeCompiler(bin, CROSS_GCC, 0);

        ClientRun.Result r = run("distcc", "gcc", "-o", "prog", "x.o");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().startsWith(cross + "|-o prog x.o|");
    }

    @Test
    void noRewriteCrossRunsTheCompilerAsNamed() throws Exception {
        Path gcc = fakeCompiler(bin, "gcc", 0);
        fakeCompiler(bin, CROSS_GCC, 0);
        env.put("DISTCC_NO_REWRITE_CROSS", "1");

        ClientRun.Result r = run("distcc", "gcc", "-o", "prog", "x.o");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().startsWith(gcc + "|-o prog x.o|");
    }

    @Test
    void implicitCompilerIsCc() throws Exception {
        Path cc = fakeCompiler(bin, "cc", 0);

        ClientRun.Result r = run("distcc", "-o", "prog", "x.o");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().startsWith(cc + "|-o prog x.o|");
    }

    @Test
    void masqueradeRunsTheRealCompilerWithDistccsDirectoryDroppedFromPath() throws Exception {
        Path links = Files.createDirectory(tmp.resolve("links"));
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path distcc = fakeCompiler(tmp, "distcc", 99);
        Path link = Files.createSymbolicLink(links.resolve("gcc"), distcc);
        Path gcc = fakeCompiler(real, "gcc", 0);
        env.put("PATH", links + ":" + real);

        ClientRun.Result r = run(link.toString(), "-o", "prog", "x.o");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().isEqualTo(gcc + "|-o prog x.o|" + real + "|1");
    }

    @Test
    void masqueradeFoundByBareNameOnPathToo() throws Exception {
        Path links = Files.createDirectory(tmp.resolve("links"));
        Path real = Files.createDirectory(tmp.resolve("real"));
        Files.createSymbolicLink(links.resolve("g++"), fakeCompiler(tmp, "distcc", 99));
        Path gxx = fakeCompiler(real, "g++", 0);
        Path more = Files.createDirectory(tmp.resolve("more"));
        env.put("PATH", links + ":" + real + ":" + more);

        ClientRun.Result r = run("g++", "-o", "prog", "x.o");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().isEqualTo(gxx + "|-o prog x.o|" + real + ":" + more + "|1");
    }

    /** This JVM's open descriptors that lead to {@code file}. */
    private static long openDescriptorsOf(Path file) throws IOException {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void logFileGetsTheMessagesInsteadOfStderr() throws Exception {
        Path log = tmp.resolve("distcc.log");
        env.put("DISTCC_LOG", log.toString());

        ClientRun.Result r = run("distcc", "no-such-cc", "-o", "prog", "x.o");

        assertThat(r.exit()).isEqualTo(110);
        assertThat(r.stderr()).isEmpty();
        assertThat(Files.readString(log)).contains("distcc[4242] (dcc_execvp) ERROR: failed to exec no-such-cc");
    }

    @Test
    void logFileIsClosedWhenTheRunEndsSoAResidentEngineDoesNotLeakDescriptors() throws Exception {
        // one DistccClient serves many invocations in a resident agent: each DISTCC_LOG file it opens
        // must be closed again (it was left open, one descriptor per invocation)
        fakeCompiler(bin, "gcc", 0);
        Path log = tmp.resolve("distcc.log");
        env.put("DISTCC_LOG", log.toString());
        env.put("DISTCC_VERBOSE", "1");

        for (int i = 0; i < 3; i++) {
            assertThat(run("distcc", "gcc", "-o", "prog", "x.o").exit()).isZero();
        }

        assertThat(Files.size(log)).isPositive();
        assertThat(openDescriptorsOf(log)).isZero();
    }

    @Test
    void unwritableLogFileIsReportedOnStderrAndTheCompileStillRuns() throws Exception {
        fakeCompiler(bin, "gcc", 0);
        env.put("DISTCC_LOG", tmp.resolve("no/such/dir/distcc.log").toString());

        ClientRun.Result r = run("distcc", "gcc", "-o", "prog", "x.o");

        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).contains("failed to open logfile");
        assertThat(started()).hasSize(1);
    }

    @Test
    void masqueradeStartedByItselfRunsLocallyInsteadOfFailing() throws Exception {
        // a masquerade link one level down (the compiler found distcc again): allowed, runs locally
        Path links = Files.createDirectory(tmp.resolve("links"));
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(links.resolve("gcc"), fakeCompiler(tmp, "distcc", 99));
        Path gcc = fakeCompiler(real, "gcc", 0);
        env.put("PATH", links + ":" + real);
        env.put("_DISTCC_SAFEGUARD", "1");

        ClientRun.Result r = run(link.toString(), "-c", "x.c");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(started()).singleElement().asString().isEqualTo(gcc + "|-c x.c|" + real + "|2");
    }
}
