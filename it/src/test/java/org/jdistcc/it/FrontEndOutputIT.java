package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.jdistcc.it.support.Sources;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing the agent's JVM prints (CDS or AOT cache messages, the Unsafe warnings of JDK 24 and
 * later) reaches a job's stdout or stderr, the job that starts the agent included: {@code distcc
 * gcc -E} output is the compiler's, byte for byte, and a clean compile is silent. Every case runs
 * with a fresh {@code DISTCC_DIR}, so its first job starts the agent. The front-end is a private copy
 * of the installed one ({@link FrontEndTree}).
 */
@Timeout(180)
class FrontEndOutputIT {
    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path distccDir;
    private Path work;
    private InProcessDistccd server;

    @BeforeEach
    void setUp() {
        bed = FrontEndBed.create("front-end-output");
        scratch = bed.scratch();
        tree = bed.tree();
        distccDir = bed.distccDir();
        work = bed.work();
        scratch.write("work/hello.cpp", Sources.HELLO_CPP);
        server = bed.serve();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private Map<String, String> jobEnvironment() {
        return bed.jobEnvironment("", Map.of("DISTCC_FALLBACK", "0"));
    }

    @Test
    void aCleanRemoteCompileHasEmptyStdoutAndStderrFromTheJobThatStartsTheAgentOn() throws IOException {
        List<ProcessResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(tree.run(work, jobEnvironment(), "gcc", "-O2", "-c", "hello.c", "-o", "hello" + i + ".o"));
        }

        for (ProcessResult r : results) {
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stdout()).as(r.describe()).isEmpty();
            assertThat(r.stderr()).as(r.describe()).isEmpty();
        }
        assertThat(Agents.started(distccDir)).as("the first job started the agent, the others used it").hasSize(1);
        assertThat(server.awaitReports(3)).allMatch(report -> report.result() == JobResult.COMPILE_OK);
        Gcc.run(work, "gcc", "-O2", "-c", "hello.c", "-o", "local.o");
        assertThat(Files.readAllBytes(work.resolve("hello0.o"))).isEqualTo(Files.readAllBytes(work.resolve("local.o")));
    }

    @Test
    void preprocessingToStdoutEqualsGccsOutputByteForByteFromTheJobThatStartsTheAgentOn() throws IOException {
        ProcessResult first = toFile("first.i", tree.distcc().toString(), "gcc", "-E", "hello.c");
        ProcessResult second = toFile("second.i", tree.distcc().toString(), "gcc", "-E", "hello.c");
        ProcessResult local = toFile("local.i", "/usr/bin/gcc", "-E", "hello.c");

        for (ProcessResult r : List.of(first, second, local)) {
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr()).as(r.describe()).isEmpty();
        }
        byte[] expected = Files.readAllBytes(work.resolve("local.i"));
        assertThat(expected).isNotEmpty();
        assertThat(Files.readAllBytes(work.resolve("first.i"))).isEqualTo(expected);
        assertThat(Files.readAllBytes(work.resolve("second.i"))).isEqualTo(expected);
        assertThat(Agents.started(distccDir)).hasSize(1);
    }

    @Test
    void largePreprocessedCxxOnStdoutEqualsGppsOutputByteForByte() throws IOException {
        ProcessResult through = toFile("through.ii", tree.distcc().toString(), "g++", "-E", "hello.cpp");
        ProcessResult local = toFile("local.ii", "/usr/bin/g++", "-E", "hello.cpp");

        assertThat(through.exitCode()).as(through.describe()).isZero();
        assertThat(through.stderr()).isEmpty();
        assertThat(local.exitCode()).as(local.describe()).isZero();
        byte[] expected = Files.readAllBytes(work.resolve("local.ii"));
        assertThat(expected.length).as("a large output").isGreaterThan(100_000);
        assertThat(Files.readAllBytes(work.resolve("through.ii"))).isEqualTo(expected);
    }

    /** What the agent itself writes to stdout arrives whole and alone, on the first job as on later ones. */
    @Test
    void showHostsPrintsTheHostListAndNothingElseFromTheJobThatStartsTheAgentOn() {
        for (int i = 0; i < 2; i++) {
            ProcessResult r = tree.run(work, jobEnvironment(), "--show-hosts");

            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stdout()).isEqualTo(server.hostSpec("") + "\n");
            assertThat(r.stderr()).isEmpty();
        }
        assertThat(Agents.started(distccDir)).hasSize(1);
    }

    /** Runs {@code COMMAND...} in the work directory with its stdout in the file {@code output}. */
    private ProcessResult toFile(String output, String... command) {
        List<String> sh = new ArrayList<>(List.of("sh", "-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", output));
        sh.addAll(List.of(command));
        return Processes.run(sh, work, jobEnvironment());
    }
}
