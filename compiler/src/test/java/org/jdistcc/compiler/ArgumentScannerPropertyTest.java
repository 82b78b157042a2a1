package org.jdistcc.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import org.jdistcc.compiler.ScanResult.Distribute;
import org.jdistcc.compiler.ScanResult.Local;
import org.jdistcc.compiler.ScanResult.OutputForm;

class ArgumentScannerPropertyTest {

    @Property(tries = 2000)
    void anyArgvOfAnyStringsScansWithoutThrowing(@ForAll List<String> argv) {
        checkInvariants(argv, ArgumentScanner.scan(argv));
    }

    /** Mostly compiler-like words around a {@code -c} and a source, so many get distributed. */
    @Property(tries = 5000)
    void compilerLikeArgvKeepsTheScanInvariants(@ForAll("compileLike") List<String> argv) {
        checkInvariants(argv, ArgumentScanner.scan(argv));
    }

    /**
     * The server rescans the argv the client sends, so scanning a normalised argv again must give
     * the same input and output. The exception is distcc's own: an argument that reads the next one
     * ({@code -x…}, {@code -MF}, {@code -MT}, {@code -MQ}) at the very end sees the appended
     * {@code -o} on the rescan.
     */
    @Property(tries = 3000, maxDiscardRatio = 20)
    void rescanningADistributedArgvGivesTheSameJob(@ForAll("compileLike") List<String> argv) {
        Assume.that(ArgumentScanner.scan(argv) instanceof Distribute);
        String last = argv.get(argv.size() - 1);
        Assume.that(!last.startsWith("-x") && !Set.of("-MF", "-MT", "-MQ").contains(last));
        Distribute job = (Distribute) ArgumentScanner.scan(argv);
        assertThat(ArgumentScanner.scan(job.argv())).isInstanceOfSatisfying(Distribute.class, again -> {
            assertThat(again.input()).isEqualTo(job.input());
            assertThat(again.output()).isEqualTo(job.output());
            assertThat(again.argv()).isEqualTo(job.argv());
        });
    }

    @Provide
    Arbitrary<List<String>> compilerLike() {
        Arbitrary<String> words = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("-c", "x.c", "y.cpp", "z.i", "dir/w.C", "-O2", "-g",
                        "-DX=1.c", "-S", "-o", "out.o", "-ofoo.o", "-MD", "-MF", "c", "-x", "")),
                Tuple.of(2, Arbitraries.of("-E", "-M", "-", "-o-", "a.o", "b.s", ".c", "conftest.c",
                        "-xc", "-include", "-Wa,-a", "-flto", "-dr", "-MT", "-MQ")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(6)));
        return Arbitraries.oneOf(Arbitraries.just("gcc"), Arbitraries.strings().ofMaxLength(4))
                .flatMap(compiler -> words.list().ofMaxSize(8).map(rest -> prepend(compiler, rest)));
    }

    /** Compiler-like commands that always hold a {@code -c} and a source somewhere. */
    @Provide
    Arbitrary<List<String>> compileLike() {
        return compilerLike().flatMap(argv -> {
            List<String> rest = new ArrayList<>(argv.subList(1, argv.size()));
            rest.add("-c");
            rest.add("main.c");
            return Arbitraries.shuffle(rest).map(shuffled -> prepend(argv.get(0), shuffled));
        });
    }

    private static List<String> prepend(String first, List<String> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }

    private static void checkInvariants(List<String> argv, ScanResult result) {
        switch (result) {
            case Distribute job -> {
                assertThat(job.argv().get(job.inputIndex())).isEqualTo(job.input());
                assertThat(argv).contains(job.input());
                assertThat(Filenames.isSource(job.input())).isTrue();
                assertThat(job.output()).isNotEqualTo("-");
                assertThat(job.argv().subList(0, argv.size())).isEqualTo(argv);
                assertThat(job.argv().size()).isIn(argv.size(), argv.size() + 2);
                String holder = job.outputForm() == OutputForm.JOINED ? "-o" + job.output() : job.output();
                assertThat(job.argv().get(job.outputIndex())).isEqualTo(holder);
                ServerArguments.withTempFiles(job, "/tmp/in.i", "/tmp/out.o");
            }
            case Local local -> assertThat(local.message()).isNotBlank();
        }
    }
}
