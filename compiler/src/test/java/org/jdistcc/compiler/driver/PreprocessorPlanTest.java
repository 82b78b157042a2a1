package org.jdistcc.compiler.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Plans made from the real gcc's {@code -###} listing of one job predict, word for word, its listing
 * of another job of the same shape; shapes a plan cannot carry make none.
 */
class PreprocessorPlanTest {
    @TempDir
    Path dir;

    /** Preprocessor commands as the client makes them, {@code %s} the source, {@code %d} the .d temporary, {@code %o} the object. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "gcc -E %s",
            "gcc -O2 -Wall -I. -Iinc -DX=1 -D NAME=\"two words\" -g -E %s",
            "gcc -std=gnu11 -fPIC -MD -E %s -MF %d -MQ %o",
            "gcc -MMD -MP -MT %o -E %s -MF %d",
            "g++ -O2 -std=c++17 -E %s",
            "gcc -x c -E %s",
    })
    void aPlanFromOneJobPredictsGccsListingForAnotherJobOfTheSameShape(String shape) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")) && Files.isExecutable(Path.of("/usr/bin/g++")));
        String ext = shape.startsWith("g++") ? ".cpp" : ".c";
        Files.createDirectories(dir.resolve("src"));
        PreprocessorPlan.Job first = job(shape, "src/first" + ext, "t1.d", "first.o");
        PreprocessorPlan.Job other = job(shape, "src/another_one" + ext, "tmp/t-77.d", "obj/another_one.o");
        assertThat(other.template()).isEqualTo(first.template());

        PreprocessorPlan plan = PreprocessorPlan.derive(listing(first), first).orElseThrow();

        DriverListing predicted = plan.instantiate(other);
        assertThat(predicted).isEqualTo(listing(other));
        assertThat(predicted.command().getFirst()).matches("/.*/cc1(plus)?");
    }

    @Test
    void aCommandThatMakesTheDriverPrintOrNamesTheInputTwiceHasNoJob() {
        assertThat(PreprocessorPlan.Job.of(List.of("gcc", "-v", "-E", "a.c"), "a.c")).isEmpty();
        assertThat(PreprocessorPlan.Job.of(List.of("gcc", "-time", "-E", "a.c"), "a.c")).isEmpty();
        assertThat(PreprocessorPlan.Job.of(List.of("gcc", "-save-temps", "-E", "a.c"), "a.c")).isEmpty();
        assertThat(PreprocessorPlan.Job.of(List.of("gcc", "-E", "a.c", "a.c"), "a.c")).isEmpty();
        assertThat(PreprocessorPlan.Job.of(List.of("gcc", "-MT", "a.c", "-E", "a.c"), "a.c")).isEmpty();
        assertThat(PreprocessorPlan.Job.of(List.of("gcc", "-E", "a.c"), "a.c")).isPresent();
    }

    @Test
    void aListingThatMentionsTheInputAnywhereElseGivesNoPlan() {
        PreprocessorPlan.Job job = PreprocessorPlan.Job.of(List.of("gcc", "-E", "src/a.c"), "src/a.c").orElseThrow();
        String cc1 = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1";

        assertThat(PreprocessorPlan.derive(new DriverListing(List.of(cc1, "-E", "src/a.c", "-dumpbase", "a.c"),
                Map.of()), job)).isPresent();
        assertThat(PreprocessorPlan.derive(new DriverListing(List.of(cc1, "-E", "src/a.c", "-dumpdir", "src/a.c-"),
                Map.of()), job)).isEmpty();
        assertThat(PreprocessorPlan.derive(new DriverListing(List.of(cc1, "-E", "src/a.c"),
                Map.of("COLLECT_GCC_OPTIONS", "'-E' 'src/a.c'")), job)).isEmpty();
    }

    @Test
    void onlyGccsOwnPreprocessorIsRunDirectly() {
        PreprocessorPlan.Job job = PreprocessorPlan.Job.of(List.of("gcc", "-E", "a.c"), "a.c").orElseThrow();

        assertThat(PreprocessorPlan.derive(new DriverListing(List.of("/usr/bin/as", "-E", "a.c"), Map.of()), job))
                .isEmpty();
        assertThat(PreprocessorPlan.derive(new DriverListing(List.of("cc1", "-E", "a.c"), Map.of()), job)).isEmpty();
        assertThat(PreprocessorPlan.derive(new DriverListing(List.of("/x/cc1", "-fsyntax-only", "a.c"), Map.of()),
                job)).isEmpty();
    }

    private PreprocessorPlan.Job job(String shape, String input, String dotD, String object) throws IOException {
        Files.writeString(dir.resolve(input), "int x;\n");
        Function<String, String> fill = w -> switch (w) {
            case "%s" -> input;
            case "%d" -> dotD;
            case "%o" -> object;
            default -> w;
        };
        List<String> argv = words(shape).stream().map(fill).toList();
        return PreprocessorPlan.Job.of(argv, input).orElseThrow();
    }

    private DriverListing listing(PreprocessorPlan.Job job) throws Exception {
        List<String> argv = new ArrayList<>(job.command());
        argv.add(1, "-###");
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return DriverListing.parse(err).orElseThrow();
    }

    /** Splits on spaces, keeping "double quoted" words whole. */
    private static List<String> words(String shape) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (char c : shape.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                words.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        words.add(w.toString());
        return words;
    }
}
