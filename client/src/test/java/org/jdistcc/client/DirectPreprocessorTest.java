package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;
import org.jdistcc.compiler.process.ProcessCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct preprocessor with the real gcc: learned over three jobs of a shape, then the cc1
 * command it runs writes the same preprocessed source and .d file, byte for byte, as the driver.
 * The listings run on the caller's thread here, so each step's effect is there for the next.
 */
class DirectPreprocessorTest {
    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void sources() throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/common.h"), "#define TWICE(x) ((x) * 2)\n");
        for (String name : List.of("a", "bb", "ccc", "dddd")) {
            Files.writeString(dir.resolve("src/" + name + ".c"),
                    "#include <stdio.h>\n#include \"common.h\"\nint " + name + "(void) { return TWICE(__LINE__); }\n");
            Files.writeString(dir.resolve("src/" + name + ".cpp"),
                    "#include <vector>\nint " + name + "() { return (int) std::vector<int>(3).size(); }\n");
        }
        env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "LANG", "C"));
    }

    @Test
    void afterTwoListingsJobsOfTheShapeRunCc1AndMakeTheDriversOutputAndDotD() throws Exception {
        DirectPreprocessor direct = new DirectPreprocessor(new ProcessCommandRunner(), Runnable::run);
        List<String> shape = List.of("gcc", "-O2", "-DNAME=\"x y\"", "-MD", "-E", "%s", "-MF", "%d", "-MQ", "%o");

        assertThat(direct.lookup(cpp(shape, "a"), "src/a.c", dir, env)).as("first job: seen").isEmpty();
        assertThat(direct.lookup(cpp(shape, "bb"), "src/bb.c", dir, env)).as("second: listed").isEmpty();
        assertThat(direct.lookup(cpp(shape, "ccc"), "src/ccc.c", dir, env)).as("third: listed, verified").isEmpty();
        DirectPreprocessor.Direct d = direct.lookup(cpp(shape, "dddd"), "src/dddd.c", dir, env).orElseThrow();

        assertThat(d.argv().getFirst()).endsWith("/cc1");
        assertThat(d.env()).containsKey("COLLECT_GCC_OPTIONS").containsEntry("PATH", "/usr/bin:/bin");
        byte[] viaDriver = run(cpp(shape, "dddd"), env, "driver");
        String driverDotD = Files.readString(dir.resolve("dddd.d"));
        byte[] viaCc1 = run(d.argv(), d.env(), "cc1");
        assertThat(viaCc1).isEqualTo(viaDriver);
        assertThat(Files.readString(dir.resolve("dddd.d"))).isEqualTo(driverDotD).contains("src/common.h");
    }

    @Test
    void cppJobsRunCc1plusWithTheSameOutput() throws Exception {
        DirectPreprocessor direct = new DirectPreprocessor(new ProcessCommandRunner(), Runnable::run);
        List<String> shape = List.of("g++", "-std=c++17", "-E", "%s");
        for (String name : List.of("a", "bb", "ccc")) {
            direct.lookup(cppPlus(shape, name), "src/" + name + ".cpp", dir, env);
        }

        DirectPreprocessor.Direct d = direct.lookup(cppPlus(shape, "dddd"), "src/dddd.cpp", dir, env).orElseThrow();

        assertThat(d.argv().getFirst()).endsWith("/cc1plus");
        assertThat(run(d.argv(), d.env(), "cc1plus")).isEqualTo(run(cppPlus(shape, "dddd"), env, "driver"));
    }

    @Test
    void theSameFileCompiledAgainRunsCc1AfterOneListing() throws Exception {
        DirectPreprocessor direct = new DirectPreprocessor(new ProcessCommandRunner(), Runnable::run);
        List<String> shape = List.of("gcc", "-O2", "-E", "%s");
        direct.lookup(cpp(shape, "a"), "src/a.c", dir, env);
        direct.lookup(cpp(shape, "a"), "src/a.c", dir, env);

        DirectPreprocessor.Direct d = direct.lookup(cpp(shape, "a"), "src/a.c", dir, env).orElseThrow();

        assertThat(run(d.argv(), d.env(), "cc1")).isEqualTo(run(cpp(shape, "a"), env, "driver"));
        assertThat(direct.lookup(cpp(shape, "bb"), "src/bb.c", dir, env)).as("another input: not yet").isEmpty();
    }

    @Test
    void anotherEnvironmentDirectoryOrSwitchedOffMeansTheDriverRuns() throws Exception {
        DirectPreprocessor direct = new DirectPreprocessor(new ProcessCommandRunner(), Runnable::run);
        List<String> shape = List.of("gcc", "-E", "%s");
        for (String name : List.of("a", "bb", "ccc")) {
            direct.lookup(cpp(shape, name), "src/" + name + ".c", dir, env);
        }
        assertThat(direct.lookup(cpp(shape, "dddd"), "src/dddd.c", dir, env)).isPresent();

        Map<String, String> other = new HashMap<>(env);
        other.put("CPATH", "/opt/include");
        assertThat(direct.lookup(cpp(shape, "dddd"), "src/dddd.c", dir, other)).isEmpty();
        assertThat(direct.lookup(cpp(shape, "dddd"), "src/dddd.c", dir.resolve("src"), env)).isEmpty();
        Map<String, String> off = new HashMap<>(env);
        off.put("DISTCC_DIRECT_CPP", "0");
        assertThat(direct.lookup(cpp(shape, "dddd"), "src/dddd.c", dir, off)).isEmpty();
    }

    @Test
    void aCompilerThatIsAWrapperScriptAlwaysRunsItself() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path wrapper = bin.resolve("gcc");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$@\" >> \"$0.log\"\nexec /usr/bin/gcc \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        Map<String, String> wrapped = new HashMap<>(env);
        wrapped.put("PATH", bin + ":/usr/bin:/bin");
        DirectPreprocessor direct = new DirectPreprocessor(new ProcessCommandRunner(), Runnable::run);
        List<String> shape = List.of("gcc", "-E", "%s");

        for (String name : List.of("a", "bb", "ccc", "dddd", "a", "bb")) {
            assertThat(direct.lookup(cpp(shape, name), "src/" + name + ".c", dir, wrapped)).as(name).isEmpty();
        }
    }

    @Test
    void aPlanThatMispredictsAnotherInputsListingServesOnlyItsOwnInput() {
        AtomicInteger listings = new AtomicInteger();
        CommandRunner drifting = (command, cancelled) -> {
            String option = listings.incrementAndGet() == 1 ? "-quiet" : "-dumpbase-ext";
            String input = command.argv().getLast();
            write(command, "COLLECT_GCC=gcc\n /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -E " + option + " " + input + "\n");
            return Outcome.exited(0);
        };
        DirectPreprocessor direct = new DirectPreprocessor(drifting, Runnable::run);
        List<String> shape = List.of("gcc", "-E", "%s");
        for (String name : List.of("a", "bb", "ccc", "dddd", "a")) {
            assertThat(direct.lookup(cpp(shape, name), "src/" + name + ".c", dir, env)).as(name).isEmpty();
        }
        assertThat(listings).hasValue(2);
        assertThat(direct.lookup(cpp(shape, "bb"), "src/bb.c", dir, env)).as("the plan's own input").isPresent();
    }

    private static void write(Command command, String stderr) {
        try {
            ((Command.Output.To) command.stderr()).out().write(stderr.getBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> cpp(List<String> shape, String name) {
        return fill(shape, name, ".c");
    }

    private static List<String> cppPlus(List<String> shape, String name) {
        return fill(shape, name, ".cpp");
    }

    private static List<String> fill(List<String> shape, String name, String ext) {
        return shape.stream().map(w -> switch (w) {
            case "%s" -> "src/" + name + ext;
            case "%d" -> name + ".d";
            case "%o" -> "obj/" + name + ".o";
            default -> w;
        }).toList();
    }

    /** Runs argv in the test directory and returns its standard output. */
    private byte[] run(List<String> argv, Map<String, String> environment, String what) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv)).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment);
        Path out = dir.resolve(what + ".out");
        pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        assertThat(pb.start().waitFor()).as(what).isZero();
        return Files.readAllBytes(out);
    }
}
