package org.jdistcc.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jdistcc.compiler.Commands.argv;

import java.util.List;
import java.util.stream.Stream;

import org.jdistcc.compiler.ScanResult.Distribute;
import org.jdistcc.compiler.ScanResult.Local;
import org.jdistcc.compiler.ScanResult.OutputForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArgumentScannerTest {

    /** Commands distcc distributes, with the input and output it finds (ScanArgs_Case and more). */
    static Stream<Arguments> distributable() {
        return Stream.of(
                // distcc's ScanArgs_Case
                Arguments.of("gcc -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -o /tmp/hello.o -c ../src/hello.c", "../src/hello.c", "/tmp/hello.o"),
                Arguments.of("gcc -DMYNAME=quasibar.c bar.c -c -o bar.o", "bar.c", "bar.o"),
                Arguments.of("gcc -ohello.o -c hello.c", "hello.c", "hello.o"),
                Arguments.of("ccache gcc -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -S hello.c", "hello.c", "hello.s"),
                Arguments.of("gcc -c -S hello.c", "hello.c", "hello.s"),
                Arguments.of("gcc -S -c hello.c", "hello.c", "hello.s"),
                Arguments.of("gcc -MD -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -MMD -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -ofoo.o foo.c -c", "foo.c", "foo.o"),
                Arguments.of("cc foo.c -o foo.o -c", "foo.c", "foo.o"),
                Arguments.of("gcc -Wa,-xarch=v8 -c foo.c", "foo.c", "foo.o"),
                // ImplicitCompilerScan_Case, after the client inserted "cc"
                Arguments.of("cc -c hello.c", "hello.c", "hello.o"),
                Arguments.of("cc hello.c -c", "hello.c", "hello.o"),
                Arguments.of("cc -o hello.o -c hello.c", "hello.c", "hello.o"),
                // dependency options that are fine, and the argument -MF/-MT/-MQ skip
                Arguments.of("gcc -MG -MP -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -MF dep.c -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -MT x.o -MQ y.o -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -MFdep.o -MTx.o -MQy.o -c hello.c", "hello.c", "hello.o"),
                Arguments.of("gcc -c hello.c -MF", "hello.c", "hello.o"),
                // -x with a C-like language, and -x with nothing after it
                Arguments.of("gcc -x c -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -x c++ -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -x objective-c++ -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -x c-header -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -x cpp-output -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -x go -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -xc++ c -c foo.c", "foo.c", "foo.o"),
                Arguments.of("gcc -c foo.c -x", "foo.c", "foo.o"),
                // names and languages
                Arguments.of("g++ -c src/dir/widget.cpp", "src/dir/widget.cpp", "widget.o"),
                Arguments.of("g++ -S -c src/dir/widget.C", "src/dir/widget.C", "widget.s"),
                Arguments.of("gcc -c hello.i", "hello.i", "hello.o"),
                Arguments.of("clang -c view.mm", "view.mm", "view.o"),
                Arguments.of("gcc -c hello.c sub/other.o", "hello.c", "sub/other.o"),
                Arguments.of("gcc -c hello.c -o hello.c.o", "hello.c", "hello.c.o"),
                Arguments.of("gcc -c hello.c -o -c", "hello.c", "-c"),
                Arguments.of("gcc -c -fprofile-dir=x -march=armv7 -mtune=generic -flt hello.c",
                        "hello.c", "hello.o"),
                Arguments.of("gcc -c -save-temps -include foo.h hello.c", "hello.c", "hello.o"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributable")
    void distributableCommandsFindInputAndOutput(String command, String input, String output) {
        assertThat(ArgumentScanner.scan(argv(command)))
                .isInstanceOfSatisfying(Distribute.class, job -> {
                    assertThat(job.input()).isEqualTo(input);
                    assertThat(job.output()).isEqualTo(output);
                    assertThat(job.argv().get(job.inputIndex())).isEqualTo(input);
                });
    }

    /** Commands distcc runs locally, with the rule that decides (ScanArgs_Case and more). */
    static Stream<Arguments> localOnly() {
        return Stream.of(
                // distcc's ScanArgs_Case
                Arguments.of("gcc hello.c", LocalReason.NOT_COMPILING),
                Arguments.of("gcc hello.o", LocalReason.NOT_COMPILING),
                Arguments.of("gcc -o hello.o hello.c", LocalReason.NOT_COMPILING),
                Arguments.of("gcc -o hello.o -c hello.s", LocalReason.NO_INPUT),
                Arguments.of("gcc -o hello.o -c hello.S", LocalReason.NO_INPUT),
                Arguments.of("gcc -fprofile-arcs -ftest-coverage -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -M hello.c", LocalReason.DEPENDENCIES_ONLY),
                Arguments.of("gcc -ME hello.c", LocalReason.DEPENDENCIES_ONLY),
                Arguments.of("gcc -S foo.c -o -", LocalReason.OUTPUT_TO_STDOUT),
                Arguments.of("cc -S -o - foo.c", LocalReason.OUTPUT_TO_STDOUT),
                Arguments.of("cc -c -S -o - foo.c", LocalReason.OUTPUT_TO_STDOUT),
                Arguments.of("cc -S -c -o - foo.c", LocalReason.OUTPUT_TO_STDOUT),
                Arguments.of("gcc -ofoo foo.o", LocalReason.TWO_OUTPUTS),
                Arguments.of("cc foo.c -o foo.o", LocalReason.NOT_COMPILING),
                Arguments.of("gcc -Wa,-alh,-a=foo.lst -c foo.c", LocalReason.ASSEMBLER_LISTING),
                Arguments.of("gcc -Wa,--MD -c foo.c", LocalReason.ASSEMBLER_LISTING),
                Arguments.of("g++ -frepo foo.C", LocalReason.FREPO),
                Arguments.of("gcc -xassembler-with-cpp -c foo.c", LocalReason.UNSUPPORTED_LANGUAGE),
                Arguments.of("gcc -x assembler-with-cpp -c foo.c", LocalReason.UNSUPPORTED_LANGUAGE),
                Arguments.of("gcc -specs=foo.specs -c foo.c", LocalReason.SPECS),
                Arguments.of("gcc -dr -c foo.c", LocalReason.RTL_DUMP),
                // every other rule
                Arguments.of("gcc -E hello.c", LocalReason.PREPROCESS_ONLY),
                Arguments.of("gcc -c -E hello.c", LocalReason.PREPROCESS_ONLY),
                Arguments.of("gcc -MM -c hello.c", LocalReason.DEPENDENCIES_ONLY),
                Arguments.of("gcc -march=native -c hello.c", LocalReason.NATIVE_CPU),
                Arguments.of("gcc -mtune=native -c hello.c", LocalReason.NATIVE_CPU),
                Arguments.of("gcc -flto -c hello.c", LocalReason.LTO),
                Arguments.of("gcc -flto=auto -c hello.c", LocalReason.LTO),
                Arguments.of("gcc --coverage -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -fprofile-generate -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -fprofile-generate=/p -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -fprofile-use=/p -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -fauto-profile=x.afdo -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -fprofile-correction -c hello.c", LocalReason.PROFILING),
                Arguments.of("gcc -drtl -c hello.c", LocalReason.RTL_DUMP),
                Arguments.of("gcc -c a.c b.c", LocalReason.TWO_INPUTS),
                Arguments.of("gcc -c a.o b.o x.c", LocalReason.TWO_OUTPUTS),
                Arguments.of("gcc -c -o x.o hello.c -o y.o", LocalReason.TWO_OUTPUTS),
                Arguments.of("gcc -c", LocalReason.NO_INPUT),
                Arguments.of("gcc -c hello.h", LocalReason.NO_INPUT),
                Arguments.of("gcc -c conftest.c", LocalReason.CONFTEST),
                Arguments.of("gcc -c /tmp/x/tmp.conftest.cpp", LocalReason.CONFTEST),
                Arguments.of("gcc -c -o- hello.c", LocalReason.OUTPUT_TO_STDOUT),
                Arguments.of("gcc -c .c", LocalReason.NO_OUTPUT_NAME),
                Arguments.of("gcc -c hello.c -o", LocalReason.MISSING_OUTPUT_NAME),
                Arguments.of("gcc -o a.o -c hello.c -o", LocalReason.TWO_OUTPUTS),
                Arguments.of("-c hello.c", LocalReason.COMPILER_LOOKS_LIKE_OPTION),
                Arguments.of("", LocalReason.EMPTY_COMMAND));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("localOnly")
    void localCommandsNameTheirRule(String command, LocalReason reason) {
        assertThat(ArgumentScanner.scan(argv(command)))
                .isInstanceOfSatisfying(Local.class, local -> {
                    assertThat(local.reason()).isEqualTo(reason);
                    assertThat(local.detail()).isNotBlank();
                });
    }

    @Test
    void dashEIsLocalAndNeedsACppSlot() {
        Local local = (Local) ArgumentScanner.scan(argv("gcc -E hello.c -o hello.i"));
        assertThat(local.reason()).isEqualTo(LocalReason.PREPROCESS_ONLY);
        assertThat(local.reason().usesCppSlot()).isTrue();
        assertThat(LocalReason.LTO.usesCppSlot()).isFalse();
    }

    @Test
    void joinedDashXTestsTheNextArgumentSoDashXcBeforeDashCIsLocal() {
        assertThat(ArgumentScanner.scan(argv("gcc -xc -c f.c")))
                .isEqualTo(new Local(LocalReason.UNSUPPORTED_LANGUAGE,
                        "option '-xc' followed by '-c'"));
    }

    @Test
    void includeOfADotCFileLooksLikeASecondSource() {
        Local local = (Local) ArgumentScanner.scan(argv("gcc -include foo.c -c bar.c"));
        assertThat(local.reason()).isEqualTo(LocalReason.TWO_INPUTS);
        assertThat(local.detail()).contains("bar.c").contains("foo.c");
    }

    @Test
    void dashMtSwallowsTheNextArgumentEvenWhenItIsDashC() {
        assertThat(ArgumentScanner.scan(argv("gcc -MT -c hello.c")))
                .isInstanceOfSatisfying(Local.class,
                        local -> assertThat(local.reason()).isEqualTo(LocalReason.NOT_COMPILING));
    }

    @Test
    void impliedOutputIsAppendedAsSeparateDashO() {
        Distribute job = (Distribute) ArgumentScanner.scan(argv("gcc -S -c dir/hello.c"));
        assertThat(job.argv()).containsExactly("gcc", "-S", "-c", "dir/hello.c", "-o", "hello.s");
        assertThat(job.assembly()).isTrue();
        assertThat(job.inputIndex()).isEqualTo(3);
        assertThat(job.outputIndex()).isEqualTo(5);
        assertThat(job.outputForm()).isEqualTo(OutputForm.IMPLIED);
    }

    @Test
    void givenOutputKeepsTheArgvUnchangedAndRecordsItsForm() {
        Distribute separate = (Distribute) ArgumentScanner.scan(argv("gcc -o x.o -c x.c"));
        assertThat(separate.argv()).containsExactly("gcc", "-o", "x.o", "-c", "x.c");
        assertThat(separate.outputIndex()).isEqualTo(2);
        assertThat(separate.outputForm()).isEqualTo(OutputForm.SEPARATE);
        assertThat(separate.assembly()).isFalse();

        Distribute joined = (Distribute) ArgumentScanner.scan(argv("gcc -c x.c -ox.o"));
        assertThat(joined.outputIndex()).isEqualTo(3);
        assertThat(joined.outputForm()).isEqualTo(OutputForm.JOINED);

        Distribute bare = (Distribute) ArgumentScanner.scan(argv("gcc -c x.c x.o"));
        assertThat(bare.outputIndex()).isEqualTo(3);
        assertThat(bare.outputForm()).isEqualTo(OutputForm.BARE_OBJECT);
    }

    @Test
    void preprocessedInputIsReported() {
        assertThat(((Distribute) ArgumentScanner.scan(argv("gcc -c x.ii"))).inputPreprocessed())
                .isTrue();
        assertThat(((Distribute) ArgumentScanner.scan(argv("gcc -c x.cc"))).inputPreprocessed())
                .isFalse();
    }

    @Test
    void emptyStringsAreIgnoredAndAnEmptyOutputNameCounts() {
        assertThat(ArgumentScanner.scan(List.of("")))
                .isInstanceOfSatisfying(Local.class,
                        local -> assertThat(local.reason()).isEqualTo(LocalReason.NOT_COMPILING));
        assertThat(ArgumentScanner.scan(List.of("gcc", "", "-c", "x.c", "-o", "")))
                .isInstanceOfSatisfying(Distribute.class,
                        job -> assertThat(job.output()).isEmpty());
    }

    @Test
    void scanDoesNotChangeItsInput() {
        List<String> argv = new java.util.ArrayList<>(argv("gcc -c x.c"));
        ArgumentScanner.scan(argv);
        assertThat(argv).containsExactly("gcc", "-c", "x.c");
    }

    /**
     * Pins a distcc 3.4 quirk: a trailing {@code -x} is ignored, but once the client appends
     * {@code -o x.o} the server's rescan sees {@code -x -o} and runs it locally, dropping the job.
     */
    @Test
    void trailingDashXDistributesButTheServerRescanIsLocalAsInDistcc() {
        Distribute job = (Distribute) ArgumentScanner.scan(argv("gcc -c x.c -x"));
        assertThat(ArgumentScanner.scan(job.argv()))
                .isInstanceOfSatisfying(Local.class, local ->
                        assertThat(local.reason()).isEqualTo(LocalReason.UNSUPPORTED_LANGUAGE));
    }

    @Test
    void localMessageJoinsSentenceAndDetail() {
        Local local = (Local) ArgumentScanner.scan(argv("gcc -flto=4 -c x.c"));
        assertThat(local.message())
                .isEqualTo("LTO compiles are not worth distributing (option '-flto=4')");
    }
}
