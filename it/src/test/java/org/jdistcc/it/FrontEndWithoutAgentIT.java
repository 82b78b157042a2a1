package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.FrontEndBed;
import org.jdistcc.it.support.FrontEndTree;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
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
 * An agent problem never fails a build: with no usable agent directory, no JDK where
 * {@code lib/agent.cmd} says, a JVM that cannot start or no build id, {@code bin/distcc} runs the
 * compiler itself after exactly one warning line that says why, and the object is the one local gcc
 * makes. No server job is involved (the server here would report one), and no agent keeps running.
 * The front-end is a private copy of the installed one ({@link FrontEndTree}) so that its
 * {@code lib/} can be broken.
 */
@Timeout(180)
class FrontEndWithoutAgentIT {
    private static final String WARNING = "distcc\\[\\d+\\] \\(jdistcc\\) Warning: the jdistcc agent is unavailable"
            + " \\(.+\\); compiling locally";

    /** Ways {@code $DISTCC_DIR/agent} can be unfit for a private socket. */
    enum UnusableAgentDir { OPEN_TO_OTHERS, A_PLAIN_FILE, A_SYMBOLIC_LINK }

    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path distccDir;
    private Path work;
    private InProcessDistccd server;

    @BeforeEach
    void setUp() {
        bed = FrontEndBed.create("front-end-without-agent");
        scratch = bed.scratch();
        tree = bed.tree();
        distccDir = bed.distccDir();
        work = bed.work();
        server = bed.serve();
        Gcc.run(work, "gcc", "-O2", "-c", "hello.c", "-o", "local.o");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private Map<String, String> jobEnvironment() {
        return bed.jobEnvironment("", Map.of());
    }

    /** Compiles hello.c to {@code object}: it must succeed here, with one warning line saying {@code why}. */
    private void assertCompiledLocallyWithOneWarning(ProcessResult r, String object, String why) throws IOException {
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines().toList()).as(r.describe()).singleElement().asString()
                .matches(WARNING).contains(why);
        assertThat(Files.readAllBytes(work.resolve(object))).isEqualTo(Files.readAllBytes(work.resolve("local.o")));
    }

    private void assertNoAgentAndNoServerJob() {
        assertThat(Agents.under(scratch.root())).as("agents running").isEmpty();
        assertThat(server.reports()).as("jobs the server ran").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(UnusableAgentDir.class)
    void anAgentDirectoryThatIsNotPrivateMeansALocalCompileWithOneWarningLine(UnusableAgentDir unusable)
            throws IOException {
        Path agentDir = Agents.agentDir(distccDir);
        switch (unusable) {
            case OPEN_TO_OTHERS -> {
                Files.createDirectory(agentDir);
                Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            case A_PLAIN_FILE -> Files.writeString(agentDir, "not a directory\n");
            case A_SYMBOLIC_LINK -> {
                Path elsewhere = Files.createDirectory(scratch.root().resolve("elsewhere"));
                Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
                Files.createSymbolicLink(agentDir, elsewhere);
            }
        }

        ProcessResult r = tree.run(work, jobEnvironment(), "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertCompiledLocallyWithOneWarning(r, "hello.o", agentDir + " is not a private directory of this user");
        assertNoAgentAndNoServerJob();
        assertThat(Scratch.contents(distccDir)).as("the front-end changed nothing there").containsExactly("agent");
    }

    /**
     * Without a JDK every job compiles here at once: the front-end that tries to start the agent
     * sees it die (it no longer waits 20 s for a socket that never comes, one starter after another,
     * which made eight jobs take minutes), and the agent's log says why.
     */
    @Test
    void anAgentCommandNamingAMissingJavaMeansEveryJobCompilesLocallyWithOneWarningLine() throws IOException {
        List<String> command = new ArrayList<>(tree.agentCommand());
        command.set(0, scratch.root().resolve("no-jdk/bin/java").toString());
        tree.writeAgentCommand(command);

        List<RunningProcess> jobs = new ArrayList<>();
        List<ProcessResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                jobs.add(tree.start(work, jobEnvironment(), "gcc", "-O2", "-c", "hello.c", "-o", "hello" + i + ".o"));
            }
            for (RunningProcess job : jobs) {
                results.add(job.await(Processes.DEFAULT_TIMEOUT));
            }
        } finally {
            jobs.forEach(RunningProcess::close);
        }

        for (int i = 0; i < results.size(); i++) {
            assertCompiledLocallyWithOneWarning(results.get(i), "hello" + i + ".o", "it could not be started");
        }
        assertThat(Agents.log(distccDir)).contains("cannot run the agent " + command.getFirst()
                + ": No such file or directory");
        assertNoAgentAndNoServerJob();
    }

    @Test
    void anAgentJvmThatCannotStartMeansALocalCompileAndTheJvmsReasonInTheAgentLog() throws IOException {
        String jar = tree.root().resolve("lib/jdistcc-client.jar").toString();
        tree.writeAgentCommand(tree.agentCommand().stream()
                .map(w -> w.equals(jar) ? scratch.root().resolve("missing.jar").toString() : w).toList());

        ProcessResult r = tree.run(work, jobEnvironment(), "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertCompiledLocallyWithOneWarning(r, "hello.o", "it could not be started");
        assertThat(Agents.log(distccDir)).contains("Could not find or load main class " + Agents.MAIN_CLASS);
        assertNoAgentAndNoServerJob();
    }

    @Test
    void aMissingBuildIdMeansALocalCompileWithOneWarningLine() throws IOException {
        Files.delete(tree.root().resolve("lib/agent.build"));

        ProcessResult r = tree.run(work, jobEnvironment(), "gcc", "-O2", "-c", "hello.c", "-o", "hello.o");

        assertCompiledLocallyWithOneWarning(r, "hello.o", "lib/agent.build is missing");
        assertNoAgentAndNoServerJob();
    }

    /** Without an agent the front-end decides itself what {@code distcc ARGS} names, as distcc does. */
    @Test
    void withoutAnAgentAnImplicitCompilerIsCcForEverySourceExtension() throws IOException {
        Files.delete(tree.root().resolve("lib/agent.build"));
        scratch.write("work/plus.c++", "int plus(int a, int b) { return a + b; }\n");
        Gcc.run(work, "cc", "-O2", "-c", "plus.c++", "-o", "plus-local.o");

        ProcessResult r = tree.run(work, jobEnvironment(), "plus.c++", "-O2", "-c", "-o", "plus.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr().lines().toList()).singleElement().asString().matches(WARNING);
        assertThat(Files.readAllBytes(work.resolve("plus.o"))).isEqualTo(
                Files.readAllBytes(work.resolve("plus-local.o")));
    }
}
