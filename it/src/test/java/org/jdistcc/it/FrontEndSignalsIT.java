package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdistcc.compiler.GnuHost;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.FrontEndBed;
import org.jdistcc.it.support.FrontEndTree;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RunningProcess;
import org.jdistcc.it.support.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ctrl-C, or make killing a job: a signal to {@code bin/distcc} ends the job with that signal, as it
 * would end the compiler, wherever the job was. In the front-end's own local command the command gets
 * the signal; in the agent's preprocessor or remote compile the agent sees the front-end go and kills
 * the preprocessor or drops the server connection (our distccd then kills its compiler). Nothing of
 * the job keeps running on either side, and the agent lives on to serve the next job (after a
 * cancelled remote job not yet at once: see the disabled case, an engine bug).
 *
 * <p>The slow parts are scripts that record their process id and then {@code exec sleep}: on the
 * server {@code slowcc} (allowed, with gcc, through a masquerade directory), on the client {@code slowcpp},
 * slow only when called with {@code -E}, and {@code localcc}, a "compiler" for a link, which the
 * front-end runs itself.
 */
@Timeout(180)
class FrontEndSignalsIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** The signals the front-end forwards, with the exit status a shell shows for death by each. */
    enum Signal {
        INT(130), TERM(143), HUP(129);

        final int exitStatus;

        Signal(int exitStatus) {
            this.exitStatus = exitStatus;
        }
    }

    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path distccDir;
    private Path work;
    private Path records;
    private InProcessDistccd server;

    @BeforeEach
    void setUp() {
        bed = FrontEndBed.create("front-end-signals");
        scratch = bed.scratch();
        tree = bed.tree();
        distccDir = bed.distccDir();
        work = bed.work();
        records = scratch.dir("records");
        scratch.script("server-bin/slowcc", """
                #!/bin/sh
                echo $$ > "%s/server.pid"
                exec sleep 100
                """.formatted(records));
        for (String allowed : List.of("slowcc", "gcc", GnuHost.gccPrefix() + "-gcc")) {
            scratch.script("masquerade/" + allowed, "#!/bin/sh\nexit 99\n");
        }
        scratch.script("client-bin/slowcc", "#!/bin/sh\nexec /usr/bin/gcc \"$@\"\n");
        scratch.script("client-bin/slowcpp", """
                #!/bin/sh
                for a; do
                    if [ "$a" = -E ]; then echo $$ > "%s/cpp.pid"; exec sleep 100; fi
                done
                exec /usr/bin/gcc "$@"
                """.formatted(records));
        scratch.script("client-bin/localcc", """
                #!/bin/sh
                echo $$ > "%s/local.pid"
                exec sleep 100
                """.formatted(records));
        scratch.script("client-bin/signals", "#!/bin/sh\nexec grep -E '^Sig(Ign|Blk):' /proc/self/status\n");
        server = bed.serve(
                List.of("--masquerade-dir", scratch.dir("masquerade").toString()),
                Map.of("PATH", scratch.dir("server-bin") + ":/usr/bin:/bin"));
    }

    @AfterEach
    void tearDown() {
        for (String name : List.of("server.pid", "cpp.pid", "local.pid")) {
            recordedPid(name).ifPresent(Processes::killIfAlive);
        }
        bed.close();
    }

    private Map<String, String> jobEnvironment() {
        return bed.jobEnvironment("", Map.of(
                "PATH", scratch.dir("client-bin") + ":/usr/local/bin:/usr/bin:/bin",
                "DISTCC_FALLBACK", "0"));
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void signalDuringALongRemoteCompileEndsTheJobWithItAndTheServersCompilerIsKilled(Signal signal) {
        long agent = startAgent();
        ProcessResult r;
        long serverCompiler;
        try (RunningProcess job = tree.start(work, jobEnvironment(), "slowcc", "-c", "hello.c", "-o", "hello.o")) {
            serverCompiler = awaitRecordedPid("server.pid", job);
            send(signal, job.pid());
            r = job.await(BOUND);
        }

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(signal.exitStatus);
        Poll.until(BOUND, () -> Processes.isGone(serverCompiler),
                () -> "the server's compiler still runs: the agent kept the connection\n" + server.log());
        assertNothingOfTheJobRunsInTheAgent(agent);
        assertThat(work.resolve("hello.o")).doesNotExist();
        assertThat(Agents.serving(distccDir)).as("the agent survives the job").containsExactly(agent);
    }

    /**
     * A job that ends because its caller went is not a failure of its host: stock distcc just dies
     * and writes nothing. The agent's engine sees the interrupted socket read fail; it must end the
     * job as cancelled, not back the host off (which would send the next jobs local for 60 s, or
     * fail them with 116 under {@code DISTCC_FALLBACK=0}).
     */
    @Test
    void aRemoteJobEndedByASignalDoesNotBackItsHostOff() {
        long agent = startAgent();
        try (RunningProcess job = tree.start(work, jobEnvironment(), "slowcc", "-c", "hello.c", "-o", "hello.o")) {
            long serverCompiler = awaitRecordedPid("server.pid", job);
            send(Signal.INT, job.pid());
            job.await(BOUND);
            Poll.until(BOUND, () -> Processes.isGone(serverCompiler), () -> "the server's compiler still runs");
        }

        assertTheAgentServesTheNextJob(agent);
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void signalDuringPreprocessingEndsTheJobWithItAndTheAgentKillsThePreprocessor(Signal signal) {
        long agent = startAgent();
        ProcessResult r;
        long preprocessor;
        try (RunningProcess job = tree.start(work, jobEnvironment(), "slowcpp", "-c", "hello.c", "-o", "hello.o")) {
            preprocessor = awaitRecordedPid("cpp.pid", job);
            send(signal, job.pid());
            r = job.await(BOUND);
        }

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(signal.exitStatus);
        Poll.until(BOUND, () -> Processes.isGone(preprocessor), () -> "the preprocessor still runs");
        assertNothingOfTheJobRunsInTheAgent(agent);
        // as distcc's client, the agent may have sent the command line while the preprocessor ran
        assertThat(server.reports()).as("only the warm-up job was compiled")
                .filteredOn(report -> report.waitStatus() >= 0).hasSize(1);
        assertTheAgentServesTheNextJob(agent);
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void signalDuringALocalCommandReachesTheCommandTheFrontEndRuns(Signal signal) {
        long agent = startAgent();
        ProcessResult r;
        long command;
        try (RunningProcess job = tree.start(work, jobEnvironment(), "localcc", "-o", "hello", "hello.c")) {
            command = awaitRecordedPid("local.pid", job);
            assertThat(ProcessHandle.of(command).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .as("the local command is the front-end's child").contains(job.pid());
            send(signal, job.pid());
            r = job.await(BOUND);
        }

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(signal.exitStatus);
        Poll.until(BOUND, () -> Processes.isGone(command), () -> "the local command still runs");
        assertNothingOfTheJobRunsInTheAgent(agent);
        assertTheAgentServesTheNextJob(agent);
    }

    /**
     * The front-end ignores SIGPIPE for itself; a command it runs must not inherit that (a compiler
     * writing into a closed pipe would report EPIPE errors instead of ending quietly), nor a blocked
     * signal: it gets the dispositions it gets when run directly.
     */
    @Test
    void aLocalCommandGetsTheSignalDispositionsItGetsWhenRunDirectly() {
        ProcessResult direct = Processes.run(List.of(scratch.dir("client-bin").resolve("signals").toString()), work,
                jobEnvironment());
        ProcessResult through = tree.run(work, jobEnvironment(), "signals");

        assertThat(direct.exitCode()).as(direct.describe()).isZero();
        assertThat(through.exitCode()).as(through.describe()).isZero();
        assertThat(direct.stdout()).contains("SigIgn:");
        assertThat(through.stdout()).isEqualTo(direct.stdout());
    }

    /** Runs one job so that the agent is up before the job under test; returns the agent's pid. */
    private long startAgent() {
        ProcessResult r = tree.run(work, jobEnvironment(), "gcc", "-c", "hello.c", "-o", "warm-up.o");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        List<Long> agents = Agents.serving(distccDir);
        assertThat(agents).hasSize(1);
        return agents.getFirst();
    }

    private void assertNothingOfTheJobRunsInTheAgent(long agent) {
        Poll.until(BOUND, () -> ProcessHandle.of(agent).map(h -> h.descendants().findAny().isEmpty()).orElse(true),
                () -> "the agent still runs " + ProcessHandle.of(agent).stream().flatMap(ProcessHandle::descendants)
                        .map(h -> h.pid() + " " + Agents.commandLine(h.pid())).toList());
    }

    private void assertTheAgentServesTheNextJob(long agent) {
        ProcessResult next = tree.run(work, jobEnvironment(), "gcc", "-c", "hello.c", "-o", "next.o");
        assertThat(next.exitCode()).as(next.describe()).isZero();
        assertThat(next.stderr()).isEmpty();
        assertThat(Agents.serving(distccDir)).containsExactly(agent);
    }

    /** Waits until the script wrote {@code name}, while {@code job} still runs; returns the pid in it. */
    private long awaitRecordedPid(String name, RunningProcess job) {
        Poll.until(BOUND, () -> recordedPid(name).isPresent() || !job.isAlive(),
                () -> name + " was never written; the job's stderr: " + job.stderrSoFar());
        assertThat(job.isAlive()).as("the job still runs; its stderr: %s", job.stderrSoFar()).isTrue();
        return recordedPid(name).orElseThrow();
    }

    private Optional<Long> recordedPid(String name) {
        try {
            String text = Files.readString(records.resolve(name)).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void send(Signal signal, long pid) {
        ProcessResult r = Processes.run(List.of("kill", "-" + signal.name(), Long.toString(pid)), Path.of("/"),
                Processes.baseEnvironment(Path.of("/")));
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }
}
