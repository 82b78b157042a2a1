package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The .d file of a plain-mode job (the rows of distcc's {@code DotD_Case} that apply without pump
 * mode; the {@code DEPENDENCIES_OUTPUT} rows are the preprocessor's own business in plain mode), and
 * the preprocessor arguments that make gcc write it where and as a local compile would.
 */
class DependencyFileTest {
    private static final Path GCC = Path.of("/usr/bin/gcc");

    @TempDir
    Path tmp;

    /** A compile command: argv, its output, whether -o named that output; then the .d file and whether -MQ is added. */
    static Stream<Arguments> dotdCases() {
        return Stream.of(
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "hello.o", "-MD"), "hello.o", true, "hello.d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "hello..", "-MD"), "hello..", true, "hello..d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "hello.bar.foo", "-MD"), "hello.bar.foo", true,
                        "hello.bar.d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "hello.", "-MD"), "hello.", true, "hello.d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "hello", "-MD"), "hello", true, "hello.d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "sub/x.o", "-MMD"), "sub/x.o", true, "sub/x.d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "d.x/hello", "-MD"), "d.x/hello", true,
                        "d.x/hello.d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", ".hidden", "-MD"), ".hidden", true, ".d", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-ohello.o", "-MD"), "hello.o", true, "hello.d", true),
                // no -o: gcc names the .d after the source and adds no target
                Arguments.of(List.of("gcc", "-c", "foo.c", "-MD"), "foo.o", false, "foo.d", false),
                Arguments.of(List.of("gcc", "-S", "foo.c", "-MD"), "foo.s", false, "foo.d", false),
                // -MF names the file, in either form; the last one counts
                Arguments.of(List.of("gcc", "-c", "foo.c", "-MD", "-MF", "foobar"), "foo.o", false, "foobar", false),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "x.o", "-MD", "-MFdeps/x.dep"), "x.o", true,
                        "deps/x.dep", true),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "x.o", "-MF", "a.d", "-MD", "-MF", "b.d"), "x.o", true,
                        "b.d", true),
                // a target of the command's own: nothing added
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "x.o", "-MD", "-MT", "t"), "x.o", true, "x.d", false),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "x.o", "-MD", "-MTt"), "x.o", true, "x.d", false),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "x.o", "-MMD", "-MQ", "$t"), "x.o", true, "x.d",
                        false),
                Arguments.of(List.of("gcc", "-c", "foo.c", "-o", "x.o", "-MD", "-MQq"), "x.o", true, "x.d", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotdCases")
    void dependencyFileIsNamedAsGccNamesIt(List<String> argv, String output, boolean dashO, String file,
                                           boolean addTarget) {
        assertThat(DependencyFile.of(argv, output, dashO)).contains(new DependencyFile(file, addTarget));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotdCases")
    void realGccWritesTheDependencyFileWherePredicted(List<String> argv, String output, boolean dashO, String file,
                                                      boolean addTarget) throws Exception {
        assumeTrue(Files.isExecutable(GCC), "needs /usr/bin/gcc");
        Files.writeString(tmp.resolve("foo.c"), "int foo;\n");
        Files.createDirectories(tmp.resolve("sub"));
        Files.createDirectories(tmp.resolve("d.x"));
        Files.createDirectories(tmp.resolve("deps"));
        List<String> command = new ArrayList<>(argv);
        command.set(0, GCC.toString());
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        try (Stream<Path> all = Files.walk(tmp)) {
            List<String> written = all.filter(f -> !f.equals(tmp.resolve(output)) && Files.isRegularFile(f)
                            && !f.getFileName().toString().equals("foo.c"))
                    .map(f -> tmp.relativize(f).toString()).toList();
            assertThat(written).as("files gcc wrote besides the output").containsExactly(file);
        }
    }

    @Test
    void withoutMdOrMmdNoDependencyFileIsWritten() {
        assertThat(DependencyFile.of(List.of("gcc", "-c", "foo.c", "-o", "x.o"), "x.o", true)).isEmpty();
        // -MF or -MT alone ask for nothing
        assertThat(DependencyFile.of(List.of("gcc", "-c", "foo.c", "-MF", "x.d", "-MT", "x"), "foo.o", false))
                .isEmpty();
    }

    @Test
    void compilerNamedLikeAnOptionIsNotAnOption() {
        assertThat(DependencyFile.of(List.of("-MD", "-c", "foo.c"), "foo.o", false)).isEqualTo(Optional.empty());
    }

    @Test
    void preprocessorGetsTheTemporaryFileAndTheTargetOfTheExplicitOutput() {
        DependencyFile d = new DependencyFile("x.d", true);
        List<String> cpp = List.of("gcc", "-MD", "-E", "foo.c");

        assertThat(d.preprocessorArguments(cpp, "/tmp/t.d", "sub/x.o"))
                .containsExactly("gcc", "-MD", "-E", "foo.c", "-MF", "/tmp/t.d", "-MQ", "sub/x.o");
    }

    @Test
    void preprocessorKeepsItsDefaultTargetWhenNoneIsToBeAdded() {
        DependencyFile d = new DependencyFile("foo.d", false);

        assertThat(d.preprocessorArguments(List.of("gcc", "-MD", "-E", "foo.c", "-MT", "t"), "/tmp/t.d", "foo.o"))
                .containsExactly("gcc", "-MD", "-E", "foo.c", "-MT", "t", "-MF", "/tmp/t.d");
    }

    @Test
    void everyMfOfTheCommandIsReplacedByTheTemporaryFile() {
        DependencyFile d = new DependencyFile("b.d", true);
        List<String> cpp = List.of("gcc", "-MF", "a.d", "-MD", "-MFb.d", "-E", "foo.c");

        assertThat(d.preprocessorArguments(cpp, "/tmp/t.d", "x.o"))
                .containsExactly("gcc", "-MD", "-E", "foo.c", "-MF", "/tmp/t.d", "-MQ", "x.o");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "hello.o, hello.d",
            "dir/name.o, dir/name.d",
            "name, name.d",
            "hello.., hello..d",
            "hello., hello.d",
            "hello.bar.foo, hello.bar.d",
            "d.x/hello, d.x/hello.d",
            "a.b/c.d.o, a.b/c.d.d",
            ".hidden, .d",
            "q/.hid, q/.d",
            "/abs/x.o, /abs/x.d"})
    void extensionIsReplacedFromTheLastDotOfTheFileName(String output, String dotd) {
        assertThat(DependencyFile.replaceExtension(output)).isEqualTo(dotd);
    }

    @Test
    void realGccAgreesOnTheTargetOfAnImpliedAssemblyOutput() throws IOException, InterruptedException {
        // gcc -S foo.c -MD (no -o) names the target foo.o, not foo.s: so no -MQ may be added then
        assumeTrue(Files.isExecutable(GCC), "needs /usr/bin/gcc");
        Files.writeString(tmp.resolve("foo.c"), "int foo;\n");
        Process p = new ProcessBuilder(GCC.toString(), "-S", "foo.c", "-MD").directory(tmp.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(tmp.resolve("foo.d"))).startsWith("foo.o:");
    }
}
