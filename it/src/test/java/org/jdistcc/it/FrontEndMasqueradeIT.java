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
import org.jdistcc.it.support.Scratch;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A masquerade link, {@code gcc -> bin/distcc} in a directory first on PATH (as in
 * {@code /usr/lib/distcc}), as a build uses it with plain {@code CC=gcc}: the compile goes to the
 * server, the link runs here with the real gcc, and nothing recurses into distcc again, with or
 * without an agent. The front-end is a private copy of the installed one ({@link FrontEndTree}).
 */
@Timeout(180)
class FrontEndMasqueradeIT {
    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path distccDir;
    private Path work;
    private Path links;
    private InProcessDistccd server;

    @BeforeEach
    void setUp() throws IOException {
        bed = FrontEndBed.create("front-end-masquerade");
        scratch = bed.scratch();
        tree = bed.tree();
        distccDir = bed.distccDir();
        work = bed.work();
        links = scratch.dir("links");
        Files.createSymbolicLink(links.resolve("gcc"), tree.distcc());
        server = bed.serve();
        Gcc.run(work, "gcc", "-O2", "-c", "hello.c", "-o", "local.o");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    /** {@code gcc ARGS} with the links directory first on PATH, as make would run it. */
    private ProcessResult gcc(String... args) {
        Map<String, String> env = bed.jobEnvironment("", Map.of("PATH", links + ":/usr/local/bin:/usr/bin:/bin"));
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec gcc \"$@\"", "sh"));
        command.addAll(List.of(args));
        return Processes.run(command, work, env);
    }

    /** The program the link step made runs and prints what hello.c prints. */
    private void assertProgramRuns() {
        ProcessResult hello = Processes.run(List.of(work.resolve("hello").toString()), work,
                Processes.baseEnvironment(work));
        assertThat(hello.exitCode()).as(hello.describe()).isZero();
        assertThat(hello.stdout()).isEqualTo("hello no message 49\n");
    }

    @Test
    void compileThroughTheLinkRunsOnTheServerAndTheLinkStepRunsTheRealGccHere() throws IOException {
        ProcessResult compile = gcc("-O2", "-c", "hello.c", "-o", "hello.o");
        ProcessResult link = gcc("hello.o", "-o", "hello");

        assertThat(compile.exitCode()).as(compile.describe()).isZero();
        assertThat(compile.stderr()).isEmpty();
        assertThat(link.exitCode()).as(link.describe()).isZero();
        assertThat(link.stderr()).as("no recursion, no warning").isEmpty();
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(Files.readAllBytes(work.resolve("local.o")));
        assertThat(server.awaitReport(JobResult.COMPILE_OK, "hello.c")).isNotNull();
        assertThat(server.reports()).as("the link ran here").hasSize(1);
        assertThat(Agents.started(distccDir)).hasSize(1);
        assertProgramRuns();
    }

    @Test
    void withoutAnAgentTheLinkFindsTheRealGccForTheCompileAndTheLinkStep() throws IOException {
        Path agentDir = Files.createDirectory(Agents.agentDir(distccDir));
        Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwxrwxr-x"));

        ProcessResult compile = gcc("-O2", "-c", "hello.c", "-o", "hello.o");
        ProcessResult link = gcc("hello.o", "-o", "hello");

        for (ProcessResult r : List.of(compile, link)) {
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr().lines().toList()).as(r.describe()).singleElement().asString()
                    .contains("(jdistcc) Warning: the jdistcc agent is unavailable");
        }
        assertThat(Files.readAllBytes(work.resolve("hello.o"))).isEqualTo(Files.readAllBytes(work.resolve("local.o")));
        assertThat(server.reports()).isEmpty();
        assertThat(Agents.under(scratch.root())).isEmpty();
        assertProgramRuns();
    }
}
