package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.jdistcc.protocol.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How an invocation of distcc is read (reference §2.1): explicit, implicit, masquerade, own options. */
class ClientCommandTest {

    private static ClientCommand parse(String... argv) throws ClientException {
        return ClientCommand.parse(List.of(argv));
    }

    /** argv in, the compile command out (compiler first), and whether it is a masquerade. */
    static Stream<Arguments> compiles() {
        return Stream.of(
                // explicit: argv[1] names the compiler
                Arguments.of(List.of("distcc", "gcc", "-c", "x.c"), List.of("gcc", "-c", "x.c"), false),
                Arguments.of(List.of("/usr/bin/distcc", "g++", "-O2", "-c", "x.cc", "-o", "x.o"),
                        List.of("g++", "-O2", "-c", "x.cc", "-o", "x.o"), false),
                Arguments.of(List.of("distcc", "/opt/cross/bin/arm-gcc", "-c", "x.c"),
                        List.of("/opt/cross/bin/arm-gcc", "-c", "x.c"), false),
                Arguments.of(List.of("distcc", "ccache", "gcc", "-c", "x.c"),
                        List.of("ccache", "gcc", "-c", "x.c"), false),
                Arguments.of(List.of("distcc", "gcc"), List.of("gcc"), false),
                // any name containing "distcc" is distcc itself
                Arguments.of(List.of("/x/my-distcc-wrapper", "gcc", "-c", "x.c"), List.of("gcc", "-c", "x.c"), false),
                // implicit: an option, a source or an object in position 1 means cc
                Arguments.of(List.of("distcc", "-c", "x.c"), List.of("cc", "-c", "x.c"), false),
                Arguments.of(List.of("distcc", "x.c", "-c"), List.of("cc", "x.c", "-c"), false),
                Arguments.of(List.of("distcc", "-o", "hello.o", "-c", "hello.c"),
                        List.of("cc", "-o", "hello.o", "-c", "hello.c"), false),
                Arguments.of(List.of("distcc", "hello.o"), List.of("cc", "hello.o"), false),
                Arguments.of(List.of("distcc", "x.cpp", "-c"), List.of("cc", "x.cpp", "-c"), false),
                Arguments.of(List.of("distcc", "x.i", "-c"), List.of("cc", "x.i", "-c"), false),
                Arguments.of(List.of("distcc", "--bogus"), List.of("cc", "--bogus"), false),
                // a header or an archive is not a source: it names the compiler
                Arguments.of(List.of("distcc", "x.h", "-c"), List.of("x.h", "-c"), false),
                // distcc's own options count only in position 1
                Arguments.of(List.of("distcc", "gcc", "--help"), List.of("gcc", "--help"), false),
                Arguments.of(List.of("distcc", "gcc", "-j"), List.of("gcc", "-j"), false),
                // masquerade: the link's own name is the compiler, every argument is the compiler's
                Arguments.of(List.of("/usr/lib/distcc/gcc", "-c", "x.c"), List.of("gcc", "-c", "x.c"), true),
                Arguments.of(List.of("g++", "--help"), List.of("g++", "--help"), true),
                Arguments.of(List.of("bin/x86_64-linux-gnu-gcc-12", "--version"),
                        List.of("x86_64-linux-gnu-gcc-12", "--version"), true),
                Arguments.of(List.of("/usr/lib/distcc/cc"), List.of("cc"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compiles")
    void compileCommandIsFoundAsDistccDoes(List<String> argv, List<String> compile, boolean masquerade)
            throws ClientException {
        assertThat(ClientCommand.parse(argv)).isEqualTo(new ClientCommand.Compile(compile, masquerade));
    }

    @Test
    void helpInPositionOneIsDistccsOwn() throws ClientException {
        assertThat(parse("distcc", "--help")).isInstanceOf(ClientCommand.Help.class);
    }

    @Test
    void versionInPositionOneIsDistccsOwn() throws ClientException {
        assertThat(parse("distcc", "--version")).isInstanceOf(ClientCommand.Version.class);
    }

    @Test
    void showHostsInPositionOneIsDistccsOwn() throws ClientException {
        assertThat(parse("distcc", "--show-hosts")).isInstanceOf(ClientCommand.ShowHosts.class);
    }

    @Test
    void dashJInPositionOneAsksForTheConcurrencyLevel() throws ClientException {
        assertThat(parse("distcc", "-j")).isInstanceOf(ClientCommand.Jobs.class);
    }

    @Test
    void ownOptionsAfterPositionOneAreIgnored() throws ClientException {
        assertThat(parse("distcc", "--version", "--help")).isInstanceOf(ClientCommand.Version.class);
    }

    @Test
    void masqueradeLinkNamedLikeAnOptionIsStillACompile() throws ClientException {
        // a link called "--help" is no distcc: its name is the compiler (DistccClient rejects it later)
        assertThat(parse("/x/--help")).isEqualTo(new ClientCommand.Compile(List.of("--help"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"distcc", "/usr/bin/distcc", "./distcc"})
    void distccWithoutAnOperandIsABadArgument(String self) {
        assertThatThrownBy(() -> parse(self))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_ARGUMENTS);
                    assertThat(e.exitCode().code()).isEqualTo(101);
                    assertThat(e.getMessage()).contains("missing option/operand");
                });
    }

    @Test
    void scanIncludesTakesTheCompileAfterIt() throws ClientException {
        assertThat(parse("distcc", "--scan-includes", "gcc", "-c", "x.c"))
                .isEqualTo(new ClientCommand.ScanIncludes(List.of("gcc", "-c", "x.c")));
        assertThat(parse("distcc", "--scan-includes", "-c", "x.c"))
                .isEqualTo(new ClientCommand.ScanIncludes(List.of("cc", "-c", "x.c")));
        assertThatThrownBy(() -> parse("distcc", "--scan-includes")).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> parse("distcc", "--scan-includes", "--help")).isInstanceOf(ClientException.class);
    }

    @Test
    void emptyArgvIsABadArgument() {
        assertThatThrownBy(() -> ClientCommand.parse(List.of()))
                .isInstanceOfSatisfying(ClientException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_ARGUMENTS));
    }

    @Test
    void compileCommandIsACopy() throws ClientException {
        java.util.ArrayList<String> argv = new java.util.ArrayList<>(List.of("distcc", "gcc", "-c", "x.c"));
        ClientCommand c = ClientCommand.parse(argv);
        argv.set(1, "clang");
        assertThat(((ClientCommand.Compile) c).argv()).containsExactly("gcc", "-c", "x.c");
    }
}
