package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdistcc.it.support.FrontEndBed;
import org.jdistcc.it.support.FrontEndTree;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Once the agent has learned a shape of job, the front-end runs gcc's preprocessor proper instead
 * of the driver (DirectPreprocessor): the objects, the .d files and a failing job's messages and
 * status stay exactly gcc's own.
 */
@Timeout(180)
class FrontEndDirectPreprocessorIT {
    private static final int FILES = 10;
    private static final String DIRECTLY = "running the preprocessor directly";

    private FrontEndBed bed;
    private Scratch scratch;
    private FrontEndTree tree;
    private Path work;

    @BeforeEach
    void setUp() {
        bed = FrontEndBed.create("front-end-direct-cpp");
        scratch = bed.scratch();
        tree = bed.tree();
        work = bed.work();
        bed.serve();
        scratch.write("work/include/shared.h", "#define SCALE 3\nstatic inline int scale(int x) { return x * SCALE; }\n");
        scratch.write("ref/include/shared.h", "#define SCALE 3\nstatic inline int scale(int x) { return x * SCALE; }\n");
        for (int i = 0; i < FILES; i++) {
            String source = "#include <stdio.h>\n#include \"shared.h\"\nint f" + i + "(void) { printf(\"%s\\n\", NAME); "
                    + "return scale(__LINE__ + " + i + "); }\n";
            scratch.write("work/src/m" + i + ".c", source);
            scratch.write("ref/src/m" + i + ".c", source);
        }
        scratch.write("work/src/broken.c", "#include \"missing.h\"\nint x;\n");
        scratch.write("ref/src/broken.c", "#include \"missing.h\"\nint x;\n");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private static String[] compile(String name) {
        return new String[] {"gcc", "-O2", "-Iinclude", "-DNAME=\"a b\"", "-MD", "-MF", "deps/" + name + ".d",
                "-c", "src/" + name + ".c", "-o", "obj/" + name + ".o"};
    }

    @Test
    void aBuildPreprocessedDirectlyHasGccsObjectsDependencyFilesAndErrors() throws IOException {
        Map<String, String> env = new HashMap<>(bed.jobEnvironment("", Map.of("DISTCC_FALLBACK", "0",
                "DISTCC_VERBOSE", "1")));
        scratch.dir("work/obj");
        scratch.dir("work/deps");
        scratch.dir("ref/obj");
        scratch.dir("ref/deps");
        List<String> direct = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            ProcessResult r = tree.run(work, env, compile("m" + i));
            assertThat(r.exitCode()).as(r.describe()).isZero();
            if (r.stderr().contains(DIRECTLY)) {
                direct.add("m" + i);
            }
            Gcc.run(scratch.dir("ref"), "gcc", tail(compile("m" + i)));
        }
        assertThat(direct).as("jobs preprocessed without the driver").isNotEmpty();
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.readAllBytes(work.resolve("obj/m" + i + ".o"))).as("m%d.o", i)
                    .isEqualTo(Files.readAllBytes(scratch.dir("ref").resolve("obj/m" + i + ".o")));
            assertThat(Files.readString(work.resolve("deps/m" + i + ".d"))).as("m%d.d", i)
                    .isEqualTo(Files.readString(scratch.dir("ref").resolve("deps/m" + i + ".d")))
                    .contains("include/shared.h");
        }

        ProcessResult broken = tree.run(work, env, compile("broken"));
        List<String> gcc = new ArrayList<>(List.of(compile("broken")));
        gcc.set(0, "/usr/bin/gcc");
        ProcessResult reference = Processes.run(gcc, scratch.dir("ref"), Processes.baseEnvironment(scratch.dir("ref")));

        assertThat(broken.stderr()).as("the failing job went the direct way").contains(DIRECTLY);
        assertThat(broken.exitCode()).isEqualTo(reference.exitCode()).isEqualTo(1);
        assertThat(withoutDistccLines(broken.stderr())).isEqualTo(reference.stderr());
        assertThat(work.resolve("obj/broken.o")).doesNotExist();
    }

    private static String[] tail(String[] argv) {
        return List.of(argv).subList(1, argv.length).toArray(String[]::new);
    }

    private static String withoutDistccLines(String stderr) {
        StringBuilder out = new StringBuilder();
        for (String line : stderr.split("(?<=\n)")) {
            if (!line.startsWith("distcc[")) {
                out.append(line);
            }
        }
        return out.toString();
    }
}
