package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.FrontEndBed;
import org.jdistcc.it.support.FrontEndTree;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@code bin/distcc} starts and reaches its agent: once, however many jobs arrive together;
 * detached from the job that happened to start it, keeping none of that job's environment or open
 * files; wherever {@code DISTCC_DIR} is, however deep or relative. The
 * front-end is a private copy of the installed one ({@link FrontEndTree}); jobs go to our distccd in
 * this JVM with {@code DISTCC_FALLBACK=0}, so a job compiled by the engine leaves a report there.
 */
@Timeout(240)
class FrontEndAgentStartIT {
    private static final int JOBS = 40;

    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path distccDir;
    private Path work;
    private InProcessDistccd server;

    @BeforeEach
    void setUp() {
        bed = FrontEndBed.create("front-end-start");
        scratch = bed.scratch();
        tree = bed.tree();
        distccDir = bed.distccDir();
        work = bed.work();
        server = bed.serve("--jobs", "4");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private Map<String, String> jobEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.putIfAbsent("DISTCC_FALLBACK", "0");
        return bed.jobEnvironment("/4", env);
    }

    @Test
    void fortyJobsStartedAtOnceWithNoAgentRunningStartOneAgentAndAllSucceed() {
        for (int i = 0; i < JOBS; i++) {
            scratch.write("work/unit" + i + ".c", Sources.unit(i));
        }
        // every job waits at a gate until all forty have started, so that they reach the front-end together
        Path gate = work.resolve("go");
        List<RunningProcess> jobs = new ArrayList<>();
        List<ProcessResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < JOBS; i++) {
                jobs.add(RunningProcess.start(List.of("sh", "-c", """
                                n=0
                                while [ ! -e "$1" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done
                                shift
                                exec "$@"
                                """, "gated", gate.toString(), tree.distcc().toString(), "gcc", "-O2", "-c",
                        "unit" + i + ".c", "-o", "unit" + i + ".o"), work, jobEnvironment(Map.of())));
            }
            scratch.write("work/go", "");
            for (RunningProcess job : jobs) {
                results.add(job.await(Processes.DEFAULT_TIMEOUT));
            }
        } finally {
            jobs.forEach(RunningProcess::close);
        }

        for (int i = 0; i < JOBS; i++) {
            ProcessResult r = results.get(i);
            assertThat(r.exitCode()).as("%s\nagent log:\n%s", r.describe(), Agents.log(distccDir)).isZero();
            assertThat(r.stdout() + r.stderr()).as(r.describe()).isEmpty();
            Gcc.run(work, "gcc", "-O2", "-c", "unit" + i + ".c", "-o", "local" + i + ".o");
            assertThat(read(work.resolve("unit" + i + ".o"))).as("unit%d.o", i)
                    .isEqualTo(read(work.resolve("local" + i + ".o")));
        }
        String log = Agents.log(distccDir);
        assertThat(Agents.started(distccDir)).as("agents that started listening, from the log:\n%s", log)
                .hasSize(1);
        assertThat(log).as("no second agent was even started").doesNotContain("not started");
        assertThat(Agents.serving(distccDir)).containsExactlyElementsOf(Agents.started(distccDir));
        assertThat(server.awaitReports(JOBS)).extracting(JobReport::result).containsOnly(JobResult.COMPILE_OK);
    }

    /**
     * The agent gets a fixed environment, not its first caller's: that caller's JAVA_TOOL_OPTIONS do
     * not reach the JVM, and its C locale does not stop the agent from naming files outside ASCII for
     * later jobs (it did: every job in such a directory failed in the agent and compiled locally).
     */
    @Test
    void theAgentKeepsNoneOfTheFirstCallersEnvironmentAndServesJobsInNonAsciiDirectories() throws IOException {
        ProcessResult first = tree.run(work, jobEnvironment(Map.of("JAVA_TOOL_OPTIONS", "-Djdistcc.it.leaked=1",
                "LC_ALL", "C")), "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");
        assertThat(first.exitCode()).as(first.describe()).isZero();
        long agent = Agents.serving(distccDir).getFirst();
        String environment = new String(Files.readAllBytes(Path.of("/proc", Long.toString(agent), "environ")),
                StandardCharsets.UTF_8);
        assertThat(List.of(environment.split("\0"))).as("the agent's environment")
                .noneMatch(v -> v.startsWith("JAVA_TOOL_OPTIONS=") || v.startsWith("DISTCC_"));

        assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "this JVM itself can name a non-ASCII file only in a UTF-8 locale");
        Path accented = scratch.dir("wörk-ü");
        scratch.write("wörk-ü/hello.c", Sources.HELLO_C);
        scratch.write("wörk-ü/hello.h", Sources.HELLO_H);
        ProcessResult second = tree.run(accented, jobEnvironment(Map.of("LC_ALL", "C")), "gcc", "-O2", "-c",
                "hello.c", "-o", "hello.o");

        assertThat(second.exitCode()).as("%s\nagent log:\n%s", second.describe(), Agents.log(distccDir)).isZero();
        assertThat(second.stderr()).isEmpty();
        assertThat(Agents.serving(distccDir)).containsExactly(agent);
        assertThat(server.awaitReports(2)).extracting(JobReport::result)
                .containsExactly(JobResult.COMPILE_OK, JobResult.COMPILE_OK);
        assertThat(read(accented.resolve("hello.o"))).isEqualTo(read(work.resolve("hello.o")));
    }

    /**
     * The agent holds no descriptor its first caller had open (make's jobserver pipe, a pipe someone
     * waits on for end-of-file, here a file on descriptor 3): stdin and stdout are /dev/null, stderr
     * its log.
     */
    @Test
    void theAgentKeepsNoDescriptorOfTheJobThatStartedIt() throws IOException {
        Path marker = scratch.write("marker", "");
        ProcessResult r = Processes.run(List.of("sh", "-c", "exec 3>>\"$1\"; shift; exec \"$@\"", "sh",
                marker.toString(), tree.distcc().toString(), "gcc", "-O2", "-c", "hello.c", "-o", "hello.o"), work,
                jobEnvironment(Map.of()));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        long agent = Agents.serving(distccDir).getFirst();

        Map<Integer, String> fds = descriptors(agent);
        assertThat(fds.values()).as("the agent's descriptors").doesNotContain(marker.toString());
        assertThat(fds.get(0)).isEqualTo("/dev/null");
        assertThat(fds.get(1)).isEqualTo("/dev/null");
        assertThat(fds.get(2)).isEqualTo(Agents.agentDir(distccDir).resolve("agent.log").toString());
    }

    /**
     * A Unix socket address holds 107 bytes of path in C, one less through the JDK; a {@code DISTCC_DIR}
     * whose socket path is near or past that still gets its agent (bound relative to the agent's
     * working directory, reached through /proc/self/fd when needed) instead of every job compiling
     * locally. The lengths around the limit matter: test directories have random names, so a suite
     * lands on each of them sooner or later.
     */
    @ParameterizedTest(name = "socket path of {0} bytes")
    @ValueSource(ints = {106, 107, 108, 140})
    void aDistccDirOfAnyDepthGetsAnAgentThatDistributes(int socketPathLength) {
        Path base = scratch.dir("deep");
        int pad = socketPathLength - base.toString().length() - "/".length() - "/agent/socket".length();
        assumeTrue(pad > 0, base + " is already too long for this case");
        Path deep = scratch.dir("deep/" + "d".repeat(pad));
        assertThat(Agents.agentDir(deep).resolve("socket").toString()).hasSize(socketPathLength);

        ProcessResult r = tree.run(work, FrontEndTree.environment(scratch.dir("home"), deep, Map.of(
                "DISTCC_HOSTS", server.hostSpec(""), "DISTCC_FALLBACK", "0")), "gcc", "-O2", "-c", "hello.c", "-o",
                "hello.o");

        assertThat(r.exitCode()).as("%s\nagent log:\n%s", r.describe(), Agents.log(deep)).isZero();
        assertThat(r.stderr()).as("agent log:\n%s", Agents.log(deep)).isEmpty();
        assertThat(Agents.serving(deep)).hasSize(1);
        assertThat(Agents.agentDir(deep).resolve("socket")).exists();
        assertThat(server.awaitReports(1)).extracting(JobReport::result).containsExactly(JobResult.COMPILE_OK);
    }

    /**
     * A relative DISTCC_DIR and TMPDIR are the job's, as for stock distcc, though the agent that
     * reads them runs elsewhere: its slot locks and temporary files go where the job says.
     */
    @Test
    void aRelativeDistccDirAndTmpdirAreTheJobsDirectories() {
        Path state = scratch.dir("work/state");
        scratch.dir("work/tmp");
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(scratch.dir("home")));
        env.putAll(Map.of("DISTCC_DIR", "state", "TMPDIR", "tmp", "DISTCC_HOSTS", server.hostSpec(""),
                "DISTCC_FALLBACK", "0", "DISTCC_SAVE_TEMPS", "1"));

        ProcessResult r = tree.run(work, env, "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertThat(r.exitCode()).as("%s\nagent log:\n%s", r.describe(), Agents.log(state)).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(Agents.serving(state)).hasSize(1);
        assertThat(Scratch.contents(state)).as("the job's DISTCC_DIR").anyMatch(n -> n.startsWith("lock/"));
        assertThat(Scratch.contents(work.resolve("tmp"))).as("the job's TMPDIR, with DISTCC_SAVE_TEMPS=1")
                .anyMatch(n -> n.endsWith(".i"));
        assertThat(server.awaitReports(1)).extracting(JobReport::result).containsExactly(JobResult.COMPILE_OK);
    }

    /** Descriptor number to what it points at, for process {@code pid}. */
    private static Map<Integer, String> descriptors(long pid) throws IOException {
        Map<Integer, String> fds = new HashMap<>();
        try (Stream<Path> all = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : all.toList()) {
                try {
                    fds.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // a descriptor the JVM closed while we listed them
                }
            }
        }
        return fds;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
