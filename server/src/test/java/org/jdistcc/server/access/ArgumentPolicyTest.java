package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentPolicyTest {
    private final ArgumentPolicy policy = ArgumentPolicy.standard();

    @ParameterizedTest
    @ValueSource(strings = {
        "-fplugin=/tmp/evil.so", "-fplugin", "-fplugin-arg-evil-key=value",
        "-specs=/tmp/evil.specs", "-specs", "--specs=/tmp/evil.specs", "--specs",
        "-wrapper", "-B/tmp/evil/", "-B", "-Bstatic", "--prefix=/tmp/evil/", "--prefix",
        "-fpass-plugin=/tmp/evil.so", "-iplugindir=/tmp/evil", "@/tmp/evil.rsp", "@args",
    })
    void dangerousOptionIsRefusedNamingIt(String arg) {
        ArgumentDecision decision = policy.check(List.of("gcc", "-c", arg, "x.c"));
        assertThat(decision).isInstanceOf(ArgumentDecision.Refused.class);
        assertThat(((ArgumentDecision.Refused) decision).reason()).startsWith("argument '" + arg + "' is refused: ");
    }

    @Test
    void distcc34RefusalsStayEvenWhereTheFlagIsSeparate() {
        assertThat(policy.check(List.of("gcc", "-c", "x.c", "--specs", "evil.specs")))
                .isInstanceOf(ArgumentDecision.Refused.class);
        assertThat(policy.check(List.of("gcc", "-wrapper", "sh,-c,id", "-c", "x.c")))
                .isInstanceOf(ArgumentDecision.Refused.class);
        assertThat(policy.check(List.of("gcc", "-B", "/tmp/evil", "-c", "x.c")))
                .isInstanceOf(ArgumentDecision.Refused.class);
    }

    @Test
    void pluginHandedOnToTheCompilerProperIsRefused() {
        for (List<String> argv : List.of(
                List.of("clang", "-Xclang", "-load", "-Xclang", "/tmp/evil.so", "-c", "x.c"),
                List.of("clang", "-Xclang", "-plugin", "-Xclang", "evil", "-c", "x.c"),
                List.of("clang", "-Xclang", "-add-plugin", "-Xclang", "evil", "-c", "x.c"),
                List.of("clang", "-Xclang=-load", "-Xclang=/tmp/evil.so", "-c", "x.c"),
                List.of("clang", "-mllvm", "-load=/tmp/evil.so", "-c", "x.c"),
                List.of("clang", "-mllvm=-load=/tmp/evil.so", "-c", "x.c"),
                List.of("gcc", "-Xpreprocessor", "-fplugin=/tmp/evil.so", "-c", "x.c"),
                List.of("gcc", "-Wp,-MD,x.d,-fplugin=/tmp/evil.so", "-c", "x.c"),
                List.of("gcc", "-Wp,@/tmp/evil.rsp", "-c", "x.c"))) {
            assertThat(policy.check(argv)).as(argv.toString()).isInstanceOf(ArgumentDecision.Refused.class);
        }
    }

    @Test
    void handedOnRefusalNamesTheCarrier() {
        assertThat(policy.check(List.of("clang", "-Xclang", "-load", "-Xclang", "/tmp/evil.so")))
                .isEqualTo(new ArgumentDecision.Refused("argument '-load' (handed on by '-Xclang') is refused: "
                        + "-load loads a shared object into clang -cc1 or LLVM"));
    }

    @Test
    void ordinaryCompileLinesAreAllowed() {
        for (List<String> argv : List.of(
                List.of("gcc", "-c", "-O2", "-g", "-Wall", "-fPIC", "-std=c11", "-DNAME=-B", "-I/usr/include/x",
                        "-MD", "-MF", "x.d", "-o", "x.o", "x.c"),
                List.of("g++", "-c", "-fno-exceptions", "-fprofile-arcs", "-Wl,-Bstatic", "-Xlinker", "-plugin",
                        "-x", "c++", "-", "-o", "x.o"),
                List.of("clang", "-c", "-Xclang", "-ast-dump", "-mllvm", "-inline-threshold=100", "x.c"),
                List.of("gcc", "-c", "-Wp,-MD,x.d", "x.c"),
                List.of("-Bweird-compiler-name-is-not-checked-here"),
                List.<String>of())) {
            assertThat(policy.check(argv)).as(argv.toString()).isEqualTo(new ArgumentDecision.Allowed());
        }
    }

    @Test
    void reasonIsPrintable() {
        var decision = (ArgumentDecision.Refused) policy.check(List.of("gcc", "-fplugin=\n\u001b[31mforged"));
        assertThat(decision.reason()).doesNotContain("\n", "\u001b").contains("\\x0a\\x1b[31mforged");
    }
}
