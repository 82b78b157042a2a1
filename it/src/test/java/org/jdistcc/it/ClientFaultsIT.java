package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.OurDistcc;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.protocol.Request;
import org.jdistcc.testing.FakeClock;
import org.jdistcc.testing.ScriptedDistccServer;
import org.jdistcc.testing.ScriptedDistccServer.Policy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How our client copes when distribution goes wrong (reference §2.6, §3.5, §3.6), against a
 * {@link ScriptedDistccServer} that misbehaves on purpose and against no server at all. The client
 * engine runs in this JVM with real gcc for the preprocessor and for local fallbacks; a job that
 * falls back must still produce exactly what a local gcc makes, and say once why it fell back.
 */
@Timeout(120)
class ClientFaultsIT {
    /** Bytes no compiler makes: an output holding them came from the scripted server. */
    private static final byte[] SCRIPTED_OBJECT = "scripted object\0\1\2".getBytes(StandardCharsets.ISO_8859_1);

    /** The faults a server can commit before it answers, and the words the fallback line uses for each. */
    enum Fault {
        CLOSE_AT_START(Policy.CLOSE_AT_START, "server provided no answer", false),
        CLOSE_MID_REPLY(Policy.CLOSE_MID_REPLY, "mid-reply", true),
        WRONG_TOKEN(Policy.WRONG_TOKEN, "protocol derailment", true);

        final Policy policy;
        final String why;
        final boolean readsRequest;

        Fault(Policy policy, String why, boolean readsRequest) {
            this.policy = policy;
            this.why = why;
            this.readsRequest = readsRequest;
        }
    }

    private Scratch scratch;
    private Path work;
    private final List<ScriptedDistccServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        scratch = Scratch.create("client-faults");
        work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
    }

    @AfterEach
    void tearDown() {
        servers.forEach(ScriptedDistccServer::close);
        scratch.close();
    }

    private ScriptedDistccServer serve(ScriptedDistccServer.Builder b) {
        ScriptedDistccServer s = b.start();
        servers.add(s);
        return s;
    }

    private ScriptedDistccServer serve(Policy policy) {
        return serve(ScriptedDistccServer.builder().then(policy));
    }

    private OurDistcc client(String hosts) {
        return OurDistcc.toHosts(hosts, scratch.dir("client")).with("DISTCC_PAUSE_TIME_MSEC", "50");
    }

    private ProcessResult compileHello(OurDistcc client) {
        return client.run(work, "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");
    }

    /** What local gcc makes of hello.c, for comparison. */
    private byte[] localHello() throws IOException {
        Gcc.run(work, "gcc", "-O2", "-c", "hello.c", "-o", "local.o");
        return Files.readAllBytes(work.resolve("local.o"));
    }

    private static List<String> fallbackLines(ProcessResult r) {
        return r.stderr().lines().filter(l -> l.matches(".*failed to distribute .* running locally instead.*"))
                .toList();
    }

    private static Path backoffMark(Path distccDir, int port) {
        return distccDir.resolve("lock").resolve("backoff_tcp_127.0.0.1_" + port + "_0");
    }

    /** Asserts the job fell back once, saying {@code why}, and made what local gcc makes. */
    private void assertOneLocalFallback(ProcessResult r, String host, String why) throws IOException {
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(fallbackLines(r)).as(r.describe()).singleElement().asString()
                .contains("hello.c").contains(host).contains(why);
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(localHello());
    }

    @Test
    void noServerAtAllMeansOneLocalCompileSayingTheConnectFailed() throws IOException {
        int port = ScriptedDistccServer.closedPort();

        ProcessResult r = compileHello(client("127.0.0.1:" + port));

        assertOneLocalFallback(r, "127.0.0.1:" + port, "Connection refused");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void faultyServerMeansOneLocalCompileSayingWhy(Fault fault) throws IOException {
        ScriptedDistccServer server = serve(fault.policy);
        Path distccDir = scratch.freshDir("distcc-dir");

        ProcessResult r = compileHello(client(server.hostSpec("")).sharingDistccDir(distccDir));

        assertOneLocalFallback(r, server.hostSpec(""), fault.why);
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests()).hasSize(fault.readsRequest ? 1 : 0);
        assertThat(backoffMark(distccDir, server.port())).as("backoff mark").exists();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void faultyServerInProtocolTwoFallsBackTheSameWay(Fault fault) throws IOException {
        ScriptedDistccServer server = serve(fault.policy);

        ProcessResult r = compileHello(client(server.hostSpec(",lzo")));

        assertOneLocalFallback(r, server.hostSpec(",lzo"), fault.why);
    }

    @Test
    void stallingServerTimesOutAndTheJobFallsBackLocally() throws IOException {
        ScriptedDistccServer server = serve(Policy.STALL);

        ProcessResult r = compileHello(client(server.hostSpec("")).with("DISTCC_IO_TIMEOUT", "2"));

        assertOneLocalFallback(r, server.hostSpec(""), "timed out");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void hugeIoTimeoutStillDistributes() throws IOException {
        // 3,000,000 s is more milliseconds than an int holds: the client used to crash on it
        ScriptedDistccServer server = serve(Policy.compiled(SCRIPTED_OBJECT));

        ProcessResult r = compileHello(client(server.hostSpec("")).with("DISTCC_IO_TIMEOUT", "3000000")
                .with("DISTCC_FALLBACK", "0"));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(SCRIPTED_OBJECT);
    }

    @Test
    void withoutFallbackNoServerMeansExit116AndNoOutput() {
        int port = ScriptedDistccServer.closedPort();

        ProcessResult r = compileHello(client("127.0.0.1:" + port).with("DISTCC_FALLBACK", "0"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(116);
        assertThat(r.stderr()).contains("failed to distribute hello.c").contains("fallbacks are disabled")
                .doesNotContain("running locally instead");
        assertThat(work.resolve("hello.o")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void withoutFallbackAFaultyServerMeansExit116(Fault fault) {
        ScriptedDistccServer server = serve(fault.policy);

        ProcessResult r = compileHello(client(server.hostSpec("")).with("DISTCC_FALLBACK", "0"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(116);
        assertThat(r.stderr()).contains(fault.why);
        assertThat(work.resolve("hello.o")).doesNotExist();
    }

    @Test
    void withoutFallbackABackedOffHostMeansExit116WithoutConnecting() {
        ScriptedDistccServer server = serve(Policy.CLOSE_AT_START);
        Path distccDir = scratch.freshDir("distcc-dir");
        OurDistcc c = client(server.hostSpec("")).sharingDistccDir(distccDir);
        compileHello(c);

        ProcessResult r = compileHello(c.with("DISTCC_FALLBACK", "0"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(116);
        assertThat(r.stderr()).contains("backed off");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void compileErrorWithSkipLocalRetryRelaysTheServersStderrAndExitsOne() {
        ScriptedDistccServer server = serve(Policy.compileError(1, "hello.c:3:1: error: scripted failure\n"));

        ProcessResult r = compileHello(client(server.hostSpec("")).with("DISTCC_SKIP_LOCAL_RETRY", "1"));

        // hello.c compiles fine here: exit 1 proves nothing ran locally
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).containsOnlyOnce("hello.c:3:1: error: scripted failure\n")
                .doesNotContain("retrying locally").doesNotContain("running locally");
        assertThat(work.resolve("hello.o")).doesNotExist();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void compileErrorWithoutFallbackRelaysTheServersStderrAndItsStatus() {
        ScriptedDistccServer server = serve(Policy.compileError(4, "scripted: status four\n"));

        ProcessResult r = compileHello(client(server.hostSpec("")).with("DISTCC_FALLBACK", "0"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(4);
        assertThat(r.stderr()).contains("scripted: status four");
        assertThat(work.resolve("hello.o")).doesNotExist();
    }

    @Test
    void compileErrorIsRetriedLocallyByDefaultAndTheHostBackedOffWhenLocalDisagrees() throws IOException {
        ScriptedDistccServer server = serve(Policy.compileError(1, "hello.c:3:1: error: scripted failure\n"));
        Path distccDir = scratch.freshDir("distcc-dir");

        ProcessResult r = compileHello(client(server.hostSpec("")).sharingDistccDir(distccDir));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).contains("remote compilation of 'hello.c' on " + server.hostSpec("")
                + " failed, retrying locally").doesNotContain("scripted failure");
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(localHello());
        assertThat(backoffMark(distccDir, server.port())).as("backoff mark").exists();
    }

    @Test
    void compileErrorThatLocalGccReproducesLeavesTheHostInnocent() {
        scratch.write("work/bad.c", "int broken(void) { return }\n");
        ScriptedDistccServer server = serve(Policy.compileError(1, "bad.c:1:27: error: scripted\n"));
        Path distccDir = scratch.freshDir("distcc-dir");

        ProcessResult r = client(server.hostSpec("")).sharingDistccDir(distccDir)
                .run(work, "gcc", "-c", "bad.c", "-o", "bad.o");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).contains("bad.c:1:").contains("error:").doesNotContain("scripted");
        assertThat(backoffMark(distccDir, server.port())).doesNotExist();
    }

    @Test
    void successRelaysTheServersWarningsAndWritesItsObject() throws IOException {
        ScriptedDistccServer server = serve(Policy.compiled(SCRIPTED_OBJECT, "hello.c:1: warning: scripted\n"));

        ProcessResult r = compileHello(client(server.hostSpec("")));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).isEqualTo("hello.c:1: warning: scripted\n");
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(SCRIPTED_OBJECT);
        Request request = server.requests().get(0);
        assertThat(request.argv()).containsExactly(
                org.jdistcc.compiler.GnuHost.gccPrefix() + "-gcc", "-O2", "-c", "hello.c", "-o", "hello.o");
        assertThat(new String(((Request.Plain) request).source(), StandardCharsets.UTF_8))
                .contains("static int square").doesNotContain("#include");
    }

    @Test
    void nextHostIsTriedWhenTheFirstFailsAndTheJobStaysRemote() throws IOException {
        int closed = ScriptedDistccServer.closedPort();
        ScriptedDistccServer good = serve(Policy.compiled(SCRIPTED_OBJECT));
        Path distccDir = scratch.freshDir("distcc-dir");

        ProcessResult r = compileHello(client("127.0.0.1:" + closed + " " + good.hostSpec(""))
                .sharingDistccDir(distccDir));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(fallbackLines(r)).isEmpty();
        assertThat(r.stderr()).contains("failed to distribute hello.c to 127.0.0.1:" + closed);
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(SCRIPTED_OBJECT);
        assertThat(backoffMark(distccDir, closed)).exists();
        assertThat(backoffMark(distccDir, good.port())).doesNotExist();
    }

    @Test
    void failedHostIsBackedOffSkippedAndTriedAgainOnceThePeriodHasPassed() throws IOException {
        ScriptedDistccServer server = serve(ScriptedDistccServer.builder().then(Policy.CLOSE_AT_START)
                .then(Policy.compiled(SCRIPTED_OBJECT)));
        Path distccDir = scratch.freshDir("distcc-dir");
        FakeClock clock = FakeClock.atSystemTime();
        OurDistcc c = client(server.hostSpec("")).sharingDistccDir(distccDir).withClock(clock)
                .with("DISTCC_BACKOFF_PERIOD", "1");

        ProcessResult first = compileHello(c);
        assertOneLocalFallback(first, server.hostSpec(""), "server provided no answer");
        assertThat(backoffMark(distccDir, server.port())).exists();

        ProcessResult second = compileHello(c);
        assertThat(second.exitCode()).as(second.describe()).isZero();
        assertThat(fallbackLines(second)).singleElement().asString().contains("backed off");
        assertThat(server.connections()).as("the backed-off host is not contacted").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        ProcessResult third = compileHello(c);
        assertThat(third.exitCode()).as(third.describe()).isZero();
        assertThat(fallbackLines(third)).isEmpty();
        assertThat(server.connections()).isEqualTo(2);
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(SCRIPTED_OBJECT);
        assertThat(backoffMark(distccDir, server.port())).as("cleared by the success").doesNotExist();
    }

    @Test
    void backoffOnTheRealClockEndsAfterThePeriod() throws IOException {
        // Backoff compares whole seconds, as stock does: with a period of 1 s a mark made at x.9 s has
        // expired at (x+1).0 s, so the "still skipped" step could race. With 3 s the second job has at
        // least 2 s to start after the first one's mark.
        ScriptedDistccServer server = serve(ScriptedDistccServer.builder().then(Policy.CLOSE_AT_START)
                .then(Policy.compiled(SCRIPTED_OBJECT)));
        Path distccDir = scratch.freshDir("distcc-dir");
        OurDistcc c = client(server.hostSpec("")).sharingDistccDir(distccDir).with("DISTCC_BACKOFF_PERIOD", "3");
        Path mark = backoffMark(distccDir, server.port());

        compileHello(c);
        Instant marked = Files.getLastModifiedTime(mark).toInstant();
        compileHello(c);
        assertThat(server.connections()).isEqualTo(1);

        Poll.until(Duration.ofSeconds(10),
                () -> Instant.now().getEpochSecond() - marked.getEpochSecond() >= 3, () -> "the period to pass");
        ProcessResult r = compileHello(c);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(server.connections()).isEqualTo(2);
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(SCRIPTED_OBJECT);
    }

    @Test
    @Timeout(60)
    void backoffPeriodZeroTriesARefusingHostOnceAndFallsBack() throws IOException {
        ScriptedDistccServer server = serve(ScriptedDistccServer.builder().then(Policy.CLOSE_AT_START)
                .maxConnections(100));
        Path distccDir = scratch.freshDir("distcc-dir");

        ProcessResult r = compileHello(client(server.hostSpec("")).sharingDistccDir(distccDir)
                .with("DISTCC_BACKOFF_PERIOD", "0"));

        assertOneLocalFallback(r, server.hostSpec(""), "server provided no answer");
        assertThat(server.connections()).as("stock 3.4 would retry forever here").isEqualTo(1);
        assertThat(backoffMark(distccDir, server.port())).as("backoff is off: no mark").doesNotExist();
    }

    @Test
    @Timeout(60)
    void backoffPeriodZeroWithoutFallbackEndsWith116() {
        int port = ScriptedDistccServer.closedPort();

        ProcessResult r = compileHello(client("127.0.0.1:" + port).with("DISTCC_BACKOFF_PERIOD", "0")
                .with("DISTCC_FALLBACK", "0"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(116);
    }

    @Test
    void preprocessorErrorIsTheJobsResultAndNoHostIsSentASourceOrBlamed() {
        scratch.write("work/noinc.c", "#include \"missing.h\"\nint x;\n");
        ScriptedDistccServer server = serve(Policy.compiled(SCRIPTED_OBJECT));
        Path distccDir = scratch.freshDir("distcc-dir");

        ProcessResult r = client(server.hostSpec("")).sharingDistccDir(distccDir)
                .run(work, "gcc", "-c", "noinc.c", "-o", "noinc.o");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).containsOnlyOnce("missing.h: No such file or directory")
                .doesNotContain("failed to distribute");
        // as distcc's client, ours connects and sends the command line while the preprocessor runs;
        // when it fails, the connection is closed before any source went out
        assertThat(server.connections()).isLessThanOrEqualTo(1);
        assertThat(server.requests()).isEmpty();
        assertThat(backoffMark(distccDir, server.port())).doesNotExist();
        assertThat(work.resolve("noinc.o")).doesNotExist();
    }

    @Test
    void temporaryFilesAreRemovedWhateverTheOutcome() throws IOException {
        Path tmp = scratch.freshDir("tmpdir");
        scratch.write("work/bad.c", "int broken(void) { return }\n");
        scratch.write("work/noinc.c", "#include \"missing.h\"\n");
        ScriptedDistccServer ok = serve(Policy.compiled(SCRIPTED_OBJECT));
        ScriptedDistccServer error = serve(Policy.compileError(1, "scripted\n"));
        ScriptedDistccServer refusing = serve(Policy.CLOSE_AT_START);

        List<ProcessResult> runs = List.of(
                client(ok.hostSpec("")).with("TMPDIR", tmp.toString())
                        .run(work, "gcc", "-MD", "-c", "hello.c", "-o", "a.o"),
                client(error.hostSpec("")).with("TMPDIR", tmp.toString())
                        .run(work, "gcc", "-MD", "-c", "bad.c", "-o", "b.o"),
                client(refusing.hostSpec("")).with("TMPDIR", tmp.toString())
                        .run(work, "gcc", "-MD", "-c", "hello.c", "-o", "c.o"),
                client(ok.hostSpec("")).with("TMPDIR", tmp.toString())
                        .run(work, "gcc", "-MD", "-c", "noinc.c", "-o", "d.o"));

        assertThat(runs).extracting(ProcessResult::exitCode).containsExactly(0, 1, 0, 1);
        assertThat(Scratch.contents(tmp)).as("TMPDIR").isEmpty();
        assertThat(Scratch.contents(work)).as("no temporary .d or object beside the outputs")
                .allMatch(name -> !name.startsWith("."));
        assertThat(Scratch.contents(work)).contains("a.o", "a.d", "c.o", "c.d");
    }

    @Test
    void saveTempsKeepsThePreprocessedSourceButNoHalfDoneFileInTheBuildTree() {
        Path tmp = scratch.freshDir("tmpdir");
        ScriptedDistccServer server = serve(Policy.CLOSE_AT_START);

        ProcessResult r = client(server.hostSpec("")).with("TMPDIR", tmp.toString()).with("DISTCC_SAVE_TEMPS", "1")
                .run(work, "gcc", "-MD", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(Scratch.contents(tmp)).singleElement().asString().startsWith("distcc_").endsWith(".i");
        assertThat(Scratch.contents(work)).containsExactlyInAnyOrder("hello.c", "hello.h", "hello.o", "hello.d");
    }

    @Test
    void missingDistccDirMeansALocalCompileOrWithoutFallback116() throws IOException {
        ScriptedDistccServer server = serve(Policy.compiled(SCRIPTED_OBJECT));
        Path missing = scratch.root().resolve("no-such-distcc-dir");

        ProcessResult r = compileHello(client(server.hostSpec("")).sharingDistccDir(missing));
        assertOneLocalFallback(r, "hello.c", "DISTCC_DIR does not exist");

        ProcessResult off = compileHello(client(server.hostSpec("")).sharingDistccDir(missing)
                .with("DISTCC_FALLBACK", "0"));
        assertThat(off.exitCode()).as(off.describe()).isEqualTo(116);
        assertThat(server.connections()).isZero();
        assertThat(missing).doesNotExist();
    }

    @Test
    void downHostIsNeverContacted() {
        ScriptedDistccServer server = serve(Policy.compiled(SCRIPTED_OBJECT));

        ProcessResult r = compileHello(client(server.hostSpec(",down")));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(fallbackLines(r)).singleElement().asString().contains("is down");
        assertThat(server.connections()).isZero();
    }

    @Test
    void concurrentJobsNeverExceedTheHostsSlotCount() throws Exception {
        int jobs = 6;
        for (int i = 0; i < jobs; i++) {
            scratch.write("work/unit" + i + ".c", Sources.unit(i));
        }
        ScriptedDistccServer server = serve(ScriptedDistccServer.builder().then(Policy.compiled(SCRIPTED_OBJECT))
                .jobDelay(Duration.ofSeconds(1)));
        OurDistcc c = client(server.hostSpec("/2")).sharingDistccDir(scratch.freshDir("distcc-dir"))
                .with("DISTCC_FALLBACK", "0");
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<ProcessResult>> results = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String unit = "unit" + i;
                results.add(pool.submit(() -> c.run(work, "gcc", "-c", unit + ".c", "-o", unit + ".o")));
            }
            for (Future<ProcessResult> f : results) {
                ProcessResult r = f.get(100, TimeUnit.SECONDS);
                assertThat(r.exitCode()).as(r.describe()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(server.requests()).hasSize(jobs);
        for (int i = 0; i < jobs; i++) {
            assertThat(Files.readAllBytes(work.resolve("unit" + i + ".o"))).isEqualTo(SCRIPTED_OBJECT);
        }
        assertThat(server.maxConcurrent()).as("jobs at once on a host with 2 slots").isLessThanOrEqualTo(2);
        // and the test could have seen more: the jobs did overlap
        assertThat(server.maxConcurrent()).isEqualTo(2);
    }
}
