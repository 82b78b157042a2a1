package org.jdistcc.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates compiler command lines as a hostile or careless client might send them: a compile of one
 * source, mostly in the shapes a stock client sends, with options and operands from a pool of
 * attacks slipped in at random places: compilers named by path or outside the allow-list, paths that
 * traverse or are absolute ({@code -o /etc/passwd}, {@code -MF}, {@code @file}, {@code -specs=},
 * {@code -fplugin=}), options whose value gcc reads as a file name, languages that would make the
 * server preprocess, long and odd strings. Paths an attack would write name a target directory
 * ({@code /tmp} unless the caller picks another, such as a canary directory a test checks stays
 * empty). The same seed gives the same sequence.
 */
public final class HostileArguments {
    /** Compilers the fuzz tests' servers allow (their masquerade directory holds these). */
    public static final List<String> ALLOWED_COMPILERS = List.of("gcc", "cc", "g++");

    private static final List<String> OTHER_COMPILERS = List.of(
            "/usr/bin/gcc", "/bin/gcc", "/BIN/gcc", "/usr/BIN/g++", "x86_64-linux-gnu-gcc",
            "/bin/sh", "sh", "../../bin/sh", "./gcc", "bin/gcc", "gcc/", "/usr/local/bin/gcc",
            "/usr/bin/../../bin/sh", "/bin/../usr/bin/gcc", "/usr/bin/sh", "/usr/bin//gcc", "gcc/../sh", "",
            ".", "..", "-gcc", "gcc\n", "gcc ", "GCC", "/tmp/evil", "~/gcc", "$(id)", "`id`", "gcc;id",
            "nice", "env", "bash", "python3", "distcc", "distccd", "/usr/lib/distcc/gcc", "\u001b[31mgcc",
            "g\u00e7c", "gcc\t-c");

    private static final List<String> INPUTS = List.of(
            "hello.c", "hello.c", "hello.c", "x.cpp", "a.m", "b.mm", "c.C", "d.cc", "pre.i", "pre.ii",
            "dir/../hello.c", "/abs/src/hello.c", "../../../../etc/passwd.c", "/etc/shadow.c",
            "conftest.c", "x.s", "x.S", "noext", "h.h", "-", "a b.c", "\u00e9t\u00e9.c");

    private static final List<String> OUTPUTS = List.of(
            "hello.o", "hello.o", "out/hello.o", "/etc/passwd", "../../../../tmp/x.o", "/tmp/evil.o", "-",
            "hello.s", "x");

    /** Options a stock client really sends in plain mode (after stripping cpp's options). */
    private static final List<List<String>> ORDINARY = List.of(
            List.of("-O2"), List.of("-g"), List.of("-Wall"), List.of("-fPIC"), List.of("-std=c11"),
            List.of("-x", "c"), List.of("-x", "c++"), List.of("-xc"), List.of("-x", "cpp-output"),
            List.of("-save-temps"), List.of("-save-temps=obj"), List.of("-fdump-tree-all"),
            List.of("-fopt-info-vec-missed=stderr"), List.of("-Wa,--noexecstack"),
            List.of("-Xpreprocessor", "-fopenmp"), List.of("-iquote", "/usr/include"), List.of("--sysroot=/"),
            List.of("-gsplit-dwarf"), List.of("-fstack-usage"), List.of("-fcompare-debug"), List.of("-pipe"),
            List.of("-fdebug-prefix-map=/home/u=."), List.of("-MD"), List.of("-MMD"), List.of("-v"));

    /** Attacks and oddities, each kept together as one group. */
    private static final List<List<String>> HOSTILE = List.of(
            List.of("-o", "/etc/passwd"), List.of("-o/etc/passwd"), List.of("--output", "/etc/passwd"),
            List.of("--output=/etc/passwd"), List.of("--output-pch=/tmp/x"), List.of("-MF", "/tmp/x.d"),
            List.of("-MF/etc/x"), List.of("-MT", "x"), List.of("-MQ", "x"), List.of("-MF", "../../../tmp/y.d"),
            List.of("@/etc/passwd"), List.of("@args.rsp"), List.of("-specs=/tmp/evil.specs"),
            List.of("--specs", "/tmp/evil"), List.of("-specs", "x"), List.of("-fplugin=/tmp/evil.so"),
            List.of("-fplugin-arg-x-y=z"), List.of("-B/tmp/evil/"), List.of("-B", "/tmp"), List.of("--prefix=/tmp/"),
            List.of("-wrapper", "/bin/sh,-c,id"), List.of("-aux-info", "/tmp/aux"), List.of("-aux-info=/tmp/aux"),
            List.of("-dumpdir", "/tmp/"), List.of("--dumpdir", "/tmp/"), List.of("-dumpbase", "/tmp/x"),
            List.of("--dumpbase", "../../x"), List.of("-save-temps=/tmp"), List.of("-fdump-tree-all=/tmp/x"),
            List.of("-fdump-rtl-all=../../x"), List.of("-fopt-info-all=/tmp/x"), List.of("-fdump-final-insns=/tmp/x"),
            List.of("-fdump-go-spec=/tmp/x"), List.of("-Wa,-o,/tmp/x"), List.of("-Wa,-alh=/tmp/x"),
            List.of("-Wa,--MD,/tmp/x"), List.of("-Wa,@/tmp/x"), List.of("-Xassembler", "-o"),
            List.of("-Xassembler", "--MD"), List.of("-Xassembler", "-alh=/tmp/x"), List.of("--for-assembler=-o"),
            List.of("-Xlinker"), List.of("-Xlinker", "-o"), List.of("-aux-info"), List.of("-include"),
            List.of("-include", "/etc/passwd"), List.of("-include/etc/passwd"), List.of("-imacros", "/etc/passwd"),
            List.of("--include=/etc/passwd"), List.of("-Wp,-MD,/tmp/x.d"), List.of("-Wp,-MF,/tmp/x"),
            List.of("-Xpreprocessor", "-MF"), List.of("-x", "c-header"), List.of("-x", "assembler"),
            List.of("-xgo"), List.of("-x", "c++-header"), List.of("--language=c"), List.of("--language", "c"),
            List.of("-x"), List.of("-fmodule-mapper=|/bin/touch /tmp/pwned"), List.of("-fmodules-ts"),
            List.of("-fcompare-debug=-fplugin=/tmp/evil.so"), List.of("-fcompare-debug=%:getenv(HOME /x)"),
            List.of("--config=/tmp/x.cfg"), List.of("-Xclang", "-load"), List.of("-Xclang", "/tmp/evil.so"),
            List.of("-Xclang", "-dependency-file"), List.of("-Xclang=-load"), List.of("-mllvm", "-load=/tmp/e.so"),
            List.of("-mllvm", "-info-output-file=/tmp/x"), List.of("-iplugindir=/tmp"),
            List.of("-fprofile-note=/tmp/x"), List.of("-serialize-diagnostics", "/tmp/x"),
            List.of("-working-directory", "/tmp"), List.of("-ivfsoverlay", "/tmp/x"), List.of("-ftime-trace=/tmp/x"),
            List.of("/etc/passwd"), List.of("../../../etc/passwd"), List.of("/etc/passwd.h"), List.of("/tmp/x.h"),
            List.of("../x.c"), List.of("second.c"), List.of("x.o"), List.of("-"), List.of("--"), List.of("-E"),
            List.of("-M"), List.of("-ftest-coverage"), List.of("-march=native"), List.of("-flto"), List.of("-S"),
            List.of("-c"), List.of(""), List.of("\n"), List.of("\u001b[2J"), List.of("-o"), List.of("-x", "none"),
            List.of("-D", "-o"), List.of("-I", "/etc"), List.of("-isystem", "hello.c"), List.of("-MD", "-MF"),
            List.of("-Wl,-plugin,/tmp/evil.so"), List.of("-Wl,-Map,/tmp/x.map"), List.of("-Xlinker", "-c"),
            List.of("-fuse-ld=/tmp/evil"), List.of("-include", "-S"));

    private final RandomGenerator random;
    private final List<String> otherCompilers;
    private final List<String> outputs;
    private final List<List<String>> hostile;

    /** Attacks that write aim at {@code /tmp}. */
    public HostileArguments(RandomGenerator random) {
        this(random, "/tmp");
    }

    /** Attacks that write aim at {@code target}, a directory given as an absolute path. */
    public HostileArguments(RandomGenerator random, String target) {
        this.random = random;
        this.otherCompilers = OTHER_COMPILERS.stream().map(a -> aim(a, target)).toList();
        this.outputs = OUTPUTS.stream().map(a -> aim(a, target)).toList();
        this.hostile = HOSTILE.stream().map(g -> g.stream().map(a -> aim(a, target)).toList()).toList();
    }

    private static String aim(String arg, String target) {
        return arg.replace("/tmp", target);
    }

    /** One command line, compiler first; never empty. */
    public List<String> next() {
        List<String> argv = new ArrayList<>();
        int roll = random.nextInt(100);
        argv.add(roll < 80 ? pick(ALLOWED_COMPILERS) : pick(otherCompilers));
        List<List<String>> groups = new ArrayList<>();
        int mode = random.nextInt(20);
        if (mode < 17) {
            groups.add(List.of("-c"));
        } else if (mode < 19) {
            groups.add(List.of("-S"));
        }
        groups.add(List.of(random.nextInt(4) == 0 ? pick(INPUTS) : "hello.c"));
        int out = random.nextInt(20);
        String output = random.nextInt(5) == 0 ? pick(outputs) : "hello.o";
        if (out < 14) {
            groups.add(List.of("-o", output));
        } else if (out < 16) {
            groups.add(List.of("-o" + output));
        }
        if (random.nextInt(3) == 0) {
            Collections.shuffle(groups, random);
        }
        for (int n = random.nextInt(3); n > 0; n--) {
            insert(groups, pick(ORDINARY));
        }
        int attacks = random.nextInt(10) < 7 ? 1 + random.nextInt(3) : 0;
        for (int n = attacks; n > 0; n--) {
            insert(groups, pick(hostile));
        }
        if (random.nextInt(200) == 0) {
            insert(groups, List.of(oddString()));
        }
        groups.forEach(argv::addAll);
        return argv;
    }

    private void insert(List<List<String>> groups, List<String> group) {
        groups.add(random.nextInt(groups.size() + 1), group);
    }

    /** A long, non-ASCII or otherwise strange argument. */
    private String oddString() {
        return switch (random.nextInt(4)) {
            case 0 -> "-D" + "A".repeat(1 + random.nextInt(100_000));
            case 1 -> "/".repeat(1 + random.nextInt(5000)) + "etc/passwd";
            case 2 -> "../".repeat(1 + random.nextInt(2000)) + "etc/passwd";
            default -> "\uFFFD\uD83D\uDE00\u202Egnp.exe";
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
