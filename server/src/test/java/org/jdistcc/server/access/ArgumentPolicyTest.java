package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jdistcc.compiler.ClientArguments;
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

    @ParameterizedTest
    @ValueSource(strings = {
        "-fmodule-mapper=|/bin/touch /tmp/pwned", "-fmodule-mapper=/tmp/mapper",
        "-fcompare-debug=-fplugin=/tmp/evil.so", "-fcompare-debug=%:getenv(HOME /x)",
        "--config=/tmp/x.cfg", "--config-user-dir=/tmp",
    })
    void optionsThatRunOrLoadProgramsAreRefusedInEveryProtocol(String arg) {
        assertThat(policy.check(List.of("g++", "-c", arg, "x.cc"))).isInstanceOf(ArgumentDecision.Refused.class);
        assertThat(policy.check(List.of("g++", "-c", "-fcompare-debug", "-fcompare-debug-second", "x.cc")))
                .isEqualTo(new ArgumentDecision.Allowed());
    }

    /** Each line breaks one plain-mode rule; the second element names what the refusal must mention. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "-MF /tmp/x.d|-MF", "-MF/etc/x|-MF", "-MT x|-MT", "-MQ x|-MQ", "-Wp,-MD,/tmp/x.d|-Wp,",
        "--output /etc/passwd|--output", "--output=/etc/passwd|--output", "--output-pch=/tmp/x|--output",
        "-aux-info /tmp/aux|-aux-info", "-aux-info=/tmp/aux|-aux-info", "-dumpdir /tmp/|-dumpdir",
        "--dumpdir /tmp/|--dumpdir", "-dumpbase /tmp/x|-dumpbase", "--dumpbase ../x|--dumpbase",
        "-fdump-tree-all=/tmp/x|-fdump-", "-fdump-final-insns=/tmp/x|-fdump-", "-fdump-go-spec=/tmp/x|-fdump-",
        "-fopt-info-all=/tmp/x|-fopt-info", "-save-temps=/tmp|-save-temps=", "-fprofile-note=/tmp/x|-fprofile-note",
        "-fdiagnostics-add-output=sarif:file=/tmp/x|-fdiagnostics-add-output", "-fdeps-file=/tmp/x|-fdeps-file",
        "-Wa,-o,/tmp/x|the assembler's -o", "-Wa,@/tmp/x|response file", "-Xassembler --MD|--MD",
        "-Xassembler -alh=/tmp/x|listing", "--for-assembler=-alh=/tmp/x|listing",
        "-serialize-diagnostics /tmp/x|-serialize-diagnostics", "-ftime-trace=/tmp/x|-ftime-trace",
        "-working-directory /tmp|-working-directory", "-ivfsoverlay /tmp/x|-ivfsoverlay",
        "-Xclang -dependency-file|-dependency-file", "-mllvm -info-output-file=/tmp/x|-info-output-file",
        "-x c-header|c-header", "-x assembler|assembler", "-xgo|go", "--language=c|--language",
        "-Xlinker -o hello.o|-Xlinker", "-aux-info -ohello.o|-aux-info", "-include hello.c|-include",
        "-Xpreprocessor hello.c|-Xpreprocessor", "-Xlinker -c|-Xlinker", "-include -c|-include",
        "-aux-info -S|-aux-info", "-isystem x.o|-isystem",
    })
    void plainModeRefusesWhatWouldReadOrWriteAClientChosenPath(String line) {
        String[] parts = line.split("\\|");
        List<String> argv = new java.util.ArrayList<>(List.of("gcc", "-c", "hello.c", "-o", "hello.o"));
        argv.addAll(1, List.of(parts[0].split(" ")));
        ArgumentDecision decision = policy.checkPlain(argv);

        assertThat(decision).as(argv.toString()).isInstanceOf(ArgumentDecision.Refused.class);
        assertThat(((ArgumentDecision.Refused) decision).reason()).contains(parts[1]);
    }

    @Test
    void plainModeRefusesAnOptionLeftWithoutItsValue() {
        // the server appends "-o hello.o" when the client gave no output; -isystem would take it
        var decision = (ArgumentDecision.Refused) policy.checkPlain(List.of("gcc", "-c", "hello.c", "-isystem"));
        assertThat(decision.reason()).isEqualTo("argument '-isystem' is refused before nothing: it takes the next "
                + "argument as its value, and must not take the job's -c, -S, output or input");
    }

    @Test
    void plainModeKeepsWhatStockClientsSend() {
        List<List<String>> sent = List.of(
                List.of("x86_64-linux-gnu-gcc", "-c", "hello.c", "-o", "hello.o"), // the golden captures
                List.of("gcc", "-O2", "-g", "-Wall", "-fPIC", "-std=c11", "-c", "x.c", "-o", "x.o"),
                List.of("g++", "-x", "c++", "-c", "x.c", "-o", "x.o"),
                List.of("gcc", "-xc", "-c", "x.c"),
                List.of("gcc", "-x", "none", "-x", "cpp-output", "-c", "x.i"),
                List.of("gcc", "-iquote", "/usr/include/foo", "--sysroot=/opt/sys", "-isysroot", "/opt/sys", "-c",
                        "x.c", "-o", "out/x.o"),
                List.of("gcc", "-Wa,--noexecstack", "-Xassembler", "--gdwarf-5", "-Xpreprocessor", "-fopenmp",
                        "-c", "x.c"),
                List.of("gcc", "-save-temps", "-save-temps=obj", "-fdump-tree-all", "-fopt-info-vec-missed=stderr",
                        "-fcompare-debug", "-gsplit-dwarf", "-fstack-usage", "-MD", "-MMD", "-S", "x.c"),
                List.of("clang", "-Xclang", "-fno-pch-timestamp", "-mllvm", "-inline-threshold=100", "-target",
                        "x86_64-linux-gnu", "-c", "x.c", "-ox.o"));
        for (List<String> argv : sent) {
            assertThat(policy.checkPlain(argv)).as(argv.toString()).isEqualTo(new ArgumentDecision.Allowed());
        }
    }

    @Test
    void plainModeKeepsStockClientCommandsAfterTheClientStripsThem() {
        List<String> typed = List.of("gcc", "-Wp,-MD,.x.o.d", "-DNAME=x.c", "-D", "V=1", "-Iinc", "-I", "/usr/inc",
                "-include", "config.h", "-isystem", "/opt/inc", "-MD", "-MF", "x.d", "-MT", "x.o", "-MQ", "$(x)",
                "-O2", "-Wl,--as-needed", "-c", "x.c", "-o", "x.o");
        List<String> sent = ClientArguments.stripLocalOnly(ClientArguments.expandPreprocessorOptions(typed));

        assertThat(policy.checkPlain(sent)).as(sent.toString()).isEqualTo(new ArgumentDecision.Allowed());
        assertThat(policy.checkPlain(typed)).as("the same command unstripped")
                .isInstanceOf(ArgumentDecision.Refused.class);
    }

    @Test
    void languagesThatRunCppGetTheirPreprocessedForm() {
        assertThat(ArgumentPolicy.withPreprocessedLanguages(List.of(
                "gcc", "-x", "c", "-xc++", "-x", "objective-c", "-xobjective-c++", "-x", "cpp-output", "-x", "none",
                "-c", "x.i", "-x")))
                .containsExactly("gcc", "-x", "cpp-output", "-xc++-cpp-output", "-x", "objective-c-cpp-output",
                        "-xobjective-c++-cpp-output", "-x", "cpp-output", "-x", "none", "-c", "x.i", "-x");
        assertThat(ArgumentPolicy.withPreprocessedLanguages(List.of("c", "-o", "c")))
                .as("argv[0] and values of other options stay").containsExactly("c", "-o", "c");
    }

    @Test
    void reasonIsPrintable() {
        var decision = (ArgumentDecision.Refused) policy.check(List.of("gcc", "-fplugin=\n\u001b[31mforged"));
        assertThat(decision.reason()).doesNotContain("\n", "\u001b").contains("\\x0a\\x1b[31mforged");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "gcc -MD -Iinc -c hello.c -o hello.o -MT hello.o",
        "gcc -x c -MMD -MF dep.d -MQ t -c hello.c -o hello.o",
        "gcc -I /abs/inc -include /abs/f.h -c hello.c"})
    void pumpAllowsWhatAStockPumpClientSends(String command) {
        assertThat(policy.checkPump(List.of(command.split(" ")))).isEqualTo(new ArgumentDecision.Allowed());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "gcc -fplugin=/x.so -c hello.c",
        "gcc -Wp,-MD,/etc/x -c hello.c",
        "gcc -c hello.c -o hello.o -MT",
        "gcc hello.c -o hello.o -MT -c",
        "gcc -dumpdir /etc/ -c hello.c",
        "gcc -Wa,-o,/etc/x -c hello.c"})
    void pumpRefusesCodeLoadingAndClientChosenWrites(String command) {
        assertThat(policy.checkPump(List.of(command.split(" ")))).isInstanceOf(ArgumentDecision.Refused.class);
    }
}
