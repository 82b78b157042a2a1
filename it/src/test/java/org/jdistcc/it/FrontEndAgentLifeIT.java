package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdistcc.compiler.GnuHost;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.FrontEndBed;
import org.jdistcc.it.support.FrontEndTree;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RunningProcess;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent behind {@code bin/distcc} comes and goes while builds run: killed in the middle of a
 * {@code make -j4}, replaced by a {@code ./build}, gone idle. The front-end is a private copy of the
 * installed one ({@link FrontEndTree}), so that the test may change its build id and agent command,
 * and a {@code ./build} in the real tree meanwhile cannot replace the agent under the test. Jobs go
 * to our distccd in this JVM with {@code DISTCC_FALLBACK=0}: a job the engine compiled was compiled
 * there, and its report says so; a job without an agent compiles locally and says so on stderr.
 */
@Timeout(240)
class FrontEndAgentLifeIT {
    private static final int UNITS = 40;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path distccDir;
    private InProcessDistccd server;

    @BeforeEach
    void setUp() {
        bed = FrontEndBed.create("front-end-life");
        scratch = bed.scratch();
        tree = bed.tree();
        distccDir = bed.distccDir();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private void startServer(Map<String, String> env) {
        server = bed.serve(List.of("--jobs", "4"), env);
    }

    private Map<String, String> jobEnvironment() {
        return bed.jobEnvironment("/4", Map.of("DISTCC_FALLBACK", "0"));
    }

    /** Compiles hello.c to {@code object} through the front-end: it must succeed, silently, on the server. */
    private void compileHello(String object) {
        ProcessResult r = tree.run(scratch.dir("work"), jobEnvironment(), "gcc", "-O2", "-c", "hello.c", "-o", object);
        assertThat(r.exitCode()).as("%s\nagent log:\n%s", r.describe(), Agents.log(distccDir)).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEmpty();
        Gcc.run(scratch.dir("work"), "gcc", "-O2", "-c", "hello.c", "-o", "local-" + object);
        assertThat(read(scratch.dir("work").resolve(object))).as(object)
                .isEqualTo(read(scratch.dir("work").resolve("local-" + object)));
    }

    @Test
    void killingTheAgentInTheMiddleOfAMakeJ4BuildStillBuildsEveryObjectCorrectlyAndTheNextJobStartsAFreshAgent()
            throws IOException {
        // a server-side compiler that takes a moment, so that jobs are in flight when the agent dies
        Path serverBin = scratch.dir("server-bin");
        scratch.script("server-bin/" + GnuHost.gccPrefix() + "-gcc", """
                #!/bin/sh
                sleep 0.2
                exec /usr/bin/%s-gcc "$@"
                """.formatted(GnuHost.gccPrefix()));
        startServer(Map.of("PATH", serverBin + ":/usr/bin:/bin"));
        Path local = project("local");
        Path remote = project("remote");
        ProcessResult localBuild = Processes.run(List.of("make", "-j4", "CC=gcc"), local,
                Processes.baseEnvironment(scratch.dir("home")));
        assertThat(localBuild.exitCode()).as(localBuild.describe()).isZero();

        ProcessResult build;
        long killed;
        int objectsWhenKilled;
        try (RunningProcess make = RunningProcess.start(List.of("make", "-j4", "CC=" + tree.distcc() + " gcc"),
                remote, jobEnvironment())) {
            Poll.until(BOUND, () -> objects(remote).size() >= 5 && !frontEndsOf(make).isEmpty()
                            && Agents.serving(distccDir).size() == 1,
                    () -> "no agent and jobs in flight with 5 objects built; objects " + objects(remote)
                            + "\nmake's stderr: " + make.stderrSoFar() + "\nagent log:\n" + Agents.log(distccDir));
            killed = Agents.serving(distccDir).getFirst();
            objectsWhenKilled = objects(remote).size();
            Agents.kill(killed);
            build = make.await(Duration.ofSeconds(180));
        }

        assertThat(objectsWhenKilled).as("objects when the agent was killed").isLessThan(UNITS);
        assertThat(build.exitCode()).as("%s\nagent log:\n%s", build.describe(), Agents.log(distccDir)).isZero();
        assertThat(build.stderr()).as("no job ran without an agent").doesNotContain("agent is unavailable");
        assertThat(objects(remote)).hasSize(UNITS);
        assertThat(Scratch.contents(remote)).as("nothing but sources, objects and the Makefile")
                .allMatch(n -> n.equals("Makefile") || n.matches("unit\\d+\\.[co]"));
        for (String object : objects(remote)) {
            assertThat(read(remote.resolve(object))).as(object).isEqualTo(read(local.resolve(object)));
        }
        Set<String> compiledThere = new TreeSet<>();
        server.reports(JobResult.COMPILE_OK).forEach(r -> compiledThere.add(r.input()));
        assertThat(compiledThere).as("sources the server compiled").containsAll(sources());
        List<Long> started = Agents.started(distccDir);
        assertThat(started).as("agents started, from the log:\n%s", Agents.log(distccDir)).hasSize(2);
        assertThat(started.getFirst()).isEqualTo(killed);
        assertThat(Agents.serving(distccDir)).as("the agent that served the rest").containsExactly(started.get(1));
    }

    @Test
    void anAgentOfAnotherBuildRetiresAndANewOneServesTheNextJob() {
        startServer(Map.of());
        compileHello("first.o");
        long first = Agents.serving(distccDir).getFirst();

        tree.setBuild("0000000000another");
        compileHello("second.o");

        Poll.until(BOUND, () -> Processes.isGone(first), () -> "the old agent " + first + " still runs");
        String log = Agents.log(distccDir);
        assertThat(log).contains("a front-end of another build called; retiring")
                .contains("agent " + first + " exiting");
        List<Long> started = Agents.started(distccDir);
        assertThat(started).as(log).hasSize(2);
        assertThat(started.getFirst()).isEqualTo(first);
        assertThat(Agents.serving(distccDir)).containsExactly(started.get(1));
        assertThat(Agents.commandLine(started.get(1))).containsSubsequence("--build", "0000000000another");
        server.awaitReports(2);
        assertThat(server.reports(JobResult.COMPILE_OK)).extracting(JobReport::input)
                .containsExactly("hello.c", "hello.c");
    }

    @Test
    void anIdleAgentExitsAndRemovesItsSocketAndTheNextJobStartsAFreshOne() {
        startServer(Map.of());
        List<String> command = new ArrayList<>(tree.agentCommand());
        command.addAll(List.of("--idle", "1"));
        tree.writeAgentCommand(command);
        compileHello("first.o");
        long first = Agents.serving(distccDir).getFirst();

        Poll.until(BOUND, () -> Processes.isGone(first), () -> "the idle agent " + first + " still runs");
        assertThat(Agents.agentDir(distccDir).resolve("socket")).doesNotExist();
        assertThat(Agents.log(distccDir)).contains("idle for 1 s").contains("agent " + first + " exiting");

        compileHello("second.o");
        List<Long> started = Agents.started(distccDir);
        assertThat(started).hasSize(2).doesNotHaveDuplicates();
        assertThat(Agents.serving(distccDir)).containsExactly(started.get(1));
    }

    /** A directory {@code name} with {@link #UNITS} C files and a Makefile that compiles each at -O2. */
    private Path project(String name) {
        for (int i = 0; i < UNITS; i++) {
            scratch.write(name + "/unit" + i + ".c", Sources.unit(i));
        }
        scratch.write(name + "/Makefile", """
                OBJECTS = $(patsubst %.c,%.o,$(sort $(wildcard unit*.c)))
                all: $(OBJECTS)
                %.o: %.c
                \t$(CC) -O2 -c $< -o $@
                """);
        return scratch.dir(name);
    }

    private static List<String> sources() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < UNITS; i++) {
            names.add("unit" + i + ".c");
        }
        return names;
    }

    /** The finished objects in {@code dir} (names ending in .o). */
    private static List<String> objects(Path dir) {
        return Scratch.contents(dir).stream().filter(n -> n.endsWith(".o")).toList();
    }

    /** The distcc front-ends that {@code make} is running now. */
    private List<Long> frontEndsOf(RunningProcess make) {
        return ProcessHandle.of(make.pid()).stream().flatMap(ProcessHandle::descendants)
                .map(ProcessHandle::pid)
                .filter(pid -> Agents.commandLine(pid).stream().anyMatch(a -> a.contains(tree.distcc().toString())))
                .toList();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
