package org.jdistcc.server.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jdistcc.compiler.Filenames;
import org.jdistcc.protocol.Printable;

/**
 * Compiler options a client may not send. {@link #check} holds for every protocol, whatever
 * {@link CompilerPolicy} is in force (even {@code --enable-tcp-insecure}): each option it refuses
 * makes the compiler load or run a program the client picks, which would turn a compiler
 * allow-list into "run anything". {@link #checkPlain} adds the rules of plain mode,
 * {@link #checkPump} those of them that hold in pump mode.
 *
 * <p>distcc 3.4 refuses only {@code -fplugin=} and {@code -specs=} (issue #356). jdistcc is secure
 * by default and also refuses the other spellings and options below, plus the same plugin options
 * when they are handed on to the compiler proper through {@code -Xclang}, {@code -mllvm},
 * {@code -Xpreprocessor} or {@code -Wp,}. Options only the linker sees ({@code -Wl,},
 * {@code -Xlinker}) are not checked: the server runs compile jobs only.
 *
 * <p>Plain mode (protocols 1 and 2): the client has run the preprocessor, and a stock client strips
 * the preprocessor's options ({@code dcc_strip_local_args}), so the server's compiler needs no file
 * but the job's own input and output. {@link #checkPlain} also refuses what would make the compiler,
 * or the assembler it runs, write or read a file at a path the client chose ({@code -MF},
 * {@code --output}, {@code -aux-info}, {@code -dumpdir}, {@code -fdump-…=FILE}, {@code -Wa,-o}, ...),
 * a {@code -x} language that would run the preprocessor again, and an option that takes a
 * separate value where gcc would take the job's {@code -c}, {@code -S}, {@code -o} or input as that
 * value: gcc would then link, or compile some other operand, such as a server header, and write next
 * to it. The server runs the {@code -x} languages a stock client really sends with their
 * preprocessed form instead ({@link #withPreprocessedLanguages}). The file-writing options that
 * remain ({@code -save-temps}, {@code -fdump-tree-all}, {@code -gsplit-dwarf}, ...) write into the
 * job's directory.
 *
 * <p>argv[0] is the compiler and is not checked here; every other element is.
 */
public final class ArgumentPolicy {
    /** A refused option: any argument that starts with {@code prefix} and meets {@code when}. */
    private record Rule(String prefix, Predicate<String> when, String why) {
        Rule(String prefix, String why) {
            this(prefix, arg -> true, why);
        }

        boolean matches(String arg) {
            return arg.startsWith(prefix) && when.test(arg);
        }
    }

    /** Checked on every argument and on every value handed on to the compiler proper. */
    private static final List<Rule> RULES = List.of(
            new Rule("-fplugin", "-fplugin loads a shared object into the compiler (distcc 3.4 refuses -fplugin= too)"),
            new Rule("-fpass-plugin", "-fpass-plugin makes clang load a shared object as an LLVM pass"),
            new Rule("-iplugindir", "-iplugindir points gcc's plugin search at a client-chosen directory"),
            new Rule("-specs", "a spec file can make gcc run any command (distcc 3.4 refuses -specs= too)"),
            new Rule("--specs", "--specs is gcc's long spelling of -specs, and a spec file can run any command"),
            new Rule("-wrapper", "-wrapper makes gcc run every sub-program through a client-chosen program"),
            new Rule("-B", "-B makes gcc run cc1, as and collect2 from a client-chosen directory"),
            new Rule("--prefix", "--prefix is gcc's long spelling of -B"),
            new Rule("@", "a response file is read on the server and could carry refused options past this check"),
            new Rule("-fmodule-mapper",
                    "g++ runs the program in -fmodule-mapper=|PROGRAM (and opens any file or socket named)"),
            new Rule("-fcompare-debug=",
                    "its value is gcc spec text for a second compile, able to load plugins past this check"),
            new Rule("--config", "clang reads more options from the config file or directory named, past this check"));

    /** Checked only on values handed on to clang -cc1 or LLVM, where these load shared objects. */
    private static final List<Rule> PASSED_ON_RULES = List.of(
            new Rule("-load", "-load loads a shared object into clang -cc1 or LLVM"),
            new Rule("-plugin", "-plugin runs a clang plugin"),
            new Rule("-add-plugin", "-add-plugin runs a clang plugin"));

    /** Options whose next argument the driver hands on to the compiler proper unchecked. */
    private static final List<String> PASS_ON_NEXT = List.of("-Xclang", "-mllvm", "-Xpreprocessor");

    /** The same with the value joined by {@code =}, as newer clang accepts. */
    private static final List<String> PASS_ON_JOINED = List.of("-Xclang=", "-mllvm=");

    /** gcc's comma-separated hand-on to the preprocessor (cc1 in gcc). */
    private static final String PASS_ON_COMMAS = "-Wp,";

    /** {@code -fdump-…=} and {@code -fopt-info…=} values that are streams, not files. */
    private static final Set<String> STREAMS = Set.of("stderr", "stdout");

    /** Plain mode: checked on every argument after {@link #RULES}. */
    private static final List<Rule> PLAIN_RULES = List.of(
            new Rule("-MF", "-MF names a file to write; in plain mode the client writes dependencies and strips -MF"),
            new Rule("-MT",
                    "-MT names a dependency target; in plain mode the client writes dependencies and strips -MT"),
            new Rule("-MQ",
                    "-MQ names a dependency target; in plain mode the client writes dependencies and strips -MQ"),
            new Rule("-Wp,", "cpp ran on the client, which expands and strips -Wp,; -Wp,-MD,FILE writes FILE"),
            new Rule("--output",
                    "--output is gcc's long -o, unseen by the scanner: the object would go to a client-chosen path"),
            new Rule("-aux-info", "-aux-info writes declarations to a client-chosen file"),
            new Rule("-dumpdir", "-dumpdir puts dumps and auxiliary outputs in a client-chosen directory"),
            new Rule("--dumpdir", "--dumpdir is gcc's long -dumpdir, which picks where dumps go"),
            new Rule("-dumpbase", "-dumpbase with a directory puts dumps and auxiliary outputs in it"),
            new Rule("--dumpbase", "--dumpbase is gcc's long -dumpbase, which picks where dumps go"),
            new Rule("-fdump-", ArgumentPolicy::namesFile,
                    "-fdump-…=FILE writes a compiler dump to a client-chosen file"),
            new Rule("-fopt-info", ArgumentPolicy::namesFile,
                    "-fopt-info…=FILE writes optimization notes to a client-chosen file"),
            new Rule("-save-temps=", arg -> !arg.equals("-save-temps=cwd") && !arg.equals("-save-temps=obj"),
                    "only -save-temps=cwd and =obj keep temporary files in the job directory"),
            new Rule("-fprofile-note=", "-fprofile-note= writes coverage notes to a client-chosen path"),
            new Rule("-fdiagnostics-add-output", "gcc 15 writes diagnostics to the file its value names"),
            new Rule("-fdiagnostics-set-output", "gcc 15 writes diagnostics to the file its value names"),
            new Rule("-fdeps-file", "gcc 14 writes module dependencies to a client-chosen file"),
            new Rule("--language", "--language is gcc's long -x, whose language could make the server run cpp again"),
            new Rule("-serialize-diagnostics", "clang writes serialized diagnostics to a client-chosen file"),
            new Rule("--serialize-diagnostics", "clang writes serialized diagnostics to a client-chosen file"),
            new Rule("-foptimization-record-file", "clang writes optimization records to a client-chosen file"),
            new Rule("-ftime-trace=", "clang writes its time trace to a client-chosen path"),
            new Rule("-fcrash-diagnostics-dir", "clang writes crash reproducers to a client-chosen directory"),
            new Rule("-fmodules-cache-path", "clang reads and writes modules in a client-chosen directory"),
            new Rule("-fproc-stat-report=", "clang appends process statistics to a client-chosen file"),
            new Rule("-working-directory",
                    "clang resolves relative paths, its outputs' included, in a client-chosen directory"),
            new Rule("-ivfsoverlay",
                    "clang lays a client-chosen mapping over the file system, the job's files included"));

    /** Dependency options a pump job may carry: the server's rewrite takes care of them. */
    private static final Set<String> PUMP_DEPENDENCY_OPTIONS = Set.of("-MF", "-MT", "-MQ");

    /** Pump mode: the plain-mode rules but those for the dependency options, and -Wp, for its own reason. */
    private static final List<Rule> PUMP_RULES = pumpRules();

    private static List<Rule> pumpRules() {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("-Wp,", "-Wp, hands options to cpp past the server's rewrite; -Wp,-MD,FILE writes FILE"));
        for (Rule rule : PLAIN_RULES) {
            if (!PUMP_DEPENDENCY_OPTIONS.contains(rule.prefix()) && !rule.prefix().equals("-Wp,")) {
                rules.add(rule);
            }
        }
        return List.copyOf(rules);
    }

    /** Plain mode: values handed on to clang -cc1 or LLVM that name a file to write. */
    private static final List<Rule> PASSED_ON_PLAIN_RULES = List.of(
            new Rule("-dependency-file", "clang -cc1 writes a dependency file to a client-chosen path"),
            new Rule("-header-include-file", "clang -cc1 writes the header list to a client-chosen file"),
            new Rule("-serialize-diagnostic-file", "clang -cc1 writes diagnostics to a client-chosen file"),
            new Rule("-stats-file", "clang -cc1 writes statistics to a client-chosen file"),
            new Rule("-split-dwarf-output", "clang -cc1 writes split DWARF to a client-chosen file"),
            new Rule("-opt-record-file", "clang -cc1 writes optimization records to a client-chosen file"),
            new Rule("-coverage-", "clang -cc1 writes coverage data or notes to a client-chosen file"),
            new Rule("-module-dependency-dir", "clang -cc1 copies module dependencies to a client-chosen directory"),
            new Rule("-info-output-file", "LLVM writes its statistics and timers to a client-chosen file"));

    /** Plain mode: values handed on to the assembler ({@code -Wa,}, {@code -Xassembler}). */
    private static final List<Rule> ASSEMBLER_RULES = List.of(
            new Rule("-o", "the assembler's -o writes the object to a client-chosen path"),
            new Rule("-a",
                    arg -> arg.contains("="), "the assembler's -a…=FILE writes a listing to a client-chosen file"),
            new Rule("--MD", "the assembler's --MD writes a dependency file to a client-chosen path"));

    private static final List<String> ASSEMBLER_NEXT = List.of("-Xassembler", "--for-assembler");
    private static final List<String> ASSEMBLER_JOINED = List.of("--for-assembler=");
    private static final String ASSEMBLER_COMMAS = "-Wa,";

    /**
     * Options that take the next argument as their value: gcc 12's driver (found by trying each
     * option gcc lists in front of {@code -o}) and clang's usual ones. Their value is never a word
     * the scanner acts on ({@link #scannerReads}). Not {@code -o}: the scanner takes its value too.
     */
    private static final Set<String> TAKES_NEXT = Set.of(
            "-A", "-B", "-D", "-F", "-I", "-J", "-L", "-R", "-T", "-Tbss", "-Tdata", "-Ttext", "-U", "-Hd", "-Hf",
            "-MF", "-MQ", "-MT", "-Xassembler", "-Xf", "-Xlinker", "-Xpreprocessor", "-aux-info", "-dumpbase",
            "-dumpbase-ext", "-dumpdir", "-e", "-h", "-fintrinsic-modules-path", "-idirafter", "-imacros",
            "-imultiarch", "-imultilib", "-include", "-iprefix", "-iquote", "-isysroot", "-isystem", "-iwithprefix",
            "-iwithprefixbefore", "-l", "-specs", "-u", "-wrapper", "-x", "-z",
            "--assert", "--define-macro", "--dump", "--dumpbase", "--dumpbase-ext", "--dumpdir", "--entry",
            "--for-assembler", "--for-linker", "--force-link", "--imacros", "--include", "--include-directory",
            "--include-directory-after", "--include-prefix", "--include-with-prefix", "--include-with-prefix-after",
            "--include-with-prefix-before", "--language", "--library-directory", "--output", "--param", "--prefix",
            "--specs", "--sysroot", "--undefine-macro",
            "-Xclang", "-mllvm", "-Xanalyzer", "-Xcuda-fatbinary", "-Xcuda-ptxas", "-Xopenmp-target",
            "-Xoffload-linker", "-target", "-arch", "-ivfsoverlay", "-include-pch", "-working-directory",
            "-serialize-diagnostics", "-MJ", "-cxx-isystem", "-iframework", "-iframeworkwithsysroot",
            "-iwithsysroot", "-isystem-after", "-index-store-path", "-dependency-file", "-dependency-dot");

    /** clang's {@code -Xarch_<arch> <arg>}. */
    private static final String TAKES_NEXT_PREFIX = "-Xarch_";

    /**
     * The {@code -x} languages a stock plain-mode client sends, each with the preprocessed form the
     * server runs instead: the client preprocessed them already, and a second cpp on the server
     * would read server files named by {@code #include} or {@code -include}.
     */
    private static final Map<String, String> PREPROCESSED_FORM = Map.of(
            "c", "cpp-output",
            "c++", "c++-cpp-output",
            "objective-c", "objective-c-cpp-output",
            "objective-c++", "objective-c++-cpp-output");

    /** {@code -x} languages that run no preprocessor ({@code none}: by the file name, here .i and the like). */
    private static final Set<String> PREPROCESSED_LANGUAGES = Set.of(
            "cpp-output", "c++-cpp-output", "objective-c-cpp-output", "objective-c++-cpp-output",
            "objc-cpp-output", "objc++-cpp-output", "none");

    private static final ArgumentPolicy STANDARD = new ArgumentPolicy();

    private ArgumentPolicy() {
    }

    /** The rules in the class comment. */
    public static ArgumentPolicy standard() {
        return STANDARD;
    }

    /** Refuses the job at the first argument after argv[0] that loads or runs a program. */
    public ArgumentDecision check(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            Rule rule = firstMatch(RULES, arg);
            if (rule != null) {
                return refused(arg, null, rule);
            }
            String previous = i > 1 ? argv.get(i - 1) : "";
            if (PASS_ON_NEXT.contains(previous)) {
                ArgumentDecision decision = checkPassedOn(arg, previous, RULES, PASSED_ON_RULES);
                if (decision != null) {
                    return decision;
                }
            }
            ArgumentDecision decision = checkJoinedAndCommas(arg, PASS_ON_JOINED, PASS_ON_COMMAS, RULES,
                    PASSED_ON_RULES);
            if (decision != null) {
                return decision;
            }
        }
        return new ArgumentDecision.Allowed();
    }

    /**
     * Refuses a plain-mode (protocol 1 or 2) job at the first argument {@link #check} refuses, or
     * that reads or writes a client-chosen path, picks a language the server would preprocess again,
     * or takes the job's {@code -c}, {@code -S}, {@code -o} or input as its value (see the class
     * comment).
     */
    public ArgumentDecision checkPlain(List<String> argv) {
        return checkEveryArgument(argv, false);
    }

    /**
     * Refuses a pump-mode (protocol 3) job at the first argument {@link #check} refuses, or that the
     * plain-mode rules refuse for reading or writing a client-chosen path or for taking the job's
     * {@code -c}, {@code -S}, {@code -o} or input as its value. Pump mode runs the preprocessor on
     * the server, so {@code -x c} and the like stay as they are, and the dependency options
     * {@code -MF}, {@code -MT} and {@code -MQ} are allowed: the server's rewrite removes the client's
     * {@code -MF} and writes dependencies into the job directory only (see
     * {@code PumpArguments}). {@code -Wp,} stays refused: its values reach cpp past that rewrite
     * ({@code -Wp,-MD,FILE} writes FILE).
     */
    public ArgumentDecision checkPump(List<String> argv) {
        return checkEveryArgument(argv, true);
    }

    /**
     * {@link #check}, then argument by argument the plain-mode rules, or in {@code pump} mode those
     * that still apply.
     */
    private ArgumentDecision checkEveryArgument(List<String> argv, boolean pump) {
        ArgumentDecision common = check(argv);
        if (common instanceof ArgumentDecision.Refused) {
            return common;
        }
        for (int i = 1; i < argv.size(); i++) {
            String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
            ArgumentDecision decision = checkArgument(argv.get(i), i > 1 ? argv.get(i - 1) : "", next, pump);
            if (decision != null) {
                return decision;
            }
        }
        return new ArgumentDecision.Allowed();
    }

    /** The plain-mode rules, or in {@code pump} mode those that still apply; null if it passes. */
    private static ArgumentDecision checkArgument(String arg, String previous, String next, boolean pump) {
        Rule rule = firstMatch(pump ? PUMP_RULES : PLAIN_RULES, arg);
        if (rule != null) {
            return refused(arg, null, rule);
        }
        if (PASS_ON_NEXT.contains(previous)) {
            ArgumentDecision decision = checkPassedOn(arg, previous, PASSED_ON_PLAIN_RULES);
            if (decision != null) {
                return decision;
            }
        }
        if (ASSEMBLER_NEXT.contains(previous)) {
            ArgumentDecision decision = checkPassedOn(arg, previous, ASSEMBLER_RULES);
            if (decision != null) {
                return decision;
            }
        }
        ArgumentDecision decision = checkJoinedAndCommas(arg, PASS_ON_JOINED, PASS_ON_COMMAS, PLAIN_RULES,
                PASSED_ON_PLAIN_RULES);
        if (decision == null) {
            decision = checkJoinedAndCommas(arg, ASSEMBLER_JOINED, ASSEMBLER_COMMAS, RULES, ASSEMBLER_RULES);
        }
        if (decision == null && !pump) {
            decision = checkLanguage(arg, next);
        }
        // A pump job's -MT and -MQ name the object as their target, as the stock client sends them.
        boolean targetMayBeObject = pump && PUMP_DEPENDENCY_OPTIONS.contains(arg);
        if (decision == null && takesNext(arg) && (next == null
                || (targetMayBeObject ? scannerReads(next) && !Filenames.isObject(next) : scannerReads(next)))) {
            String what = next == null ? "nothing" : "'" + Printable.of(next) + "'";
            decision = new ArgumentDecision.Refused("argument '" + Printable.of(arg) + "' is refused before " + what
                    + ": it takes the next argument as its value, and must not take the job's -c, -S, output or input");
        }
        return decision;
    }

    /**
     * Words the argument scanner acts on, which gcc must see as the scanner does: a -c or -S taken
     * as another option's value makes gcc link (running the linker with the client's -Wl, options),
     * a taken -o leaves gcc writing next to its inputs, and a taken source leaves gcc compiling
     * another operand.
     */
    private static boolean scannerReads(String word) {
        return word.equals("-c") || word.equals("-S") || word.startsWith("-o") || Filenames.isSource(word)
                || Filenames.isObject(word);
    }

    /** Refuses a {@code -x} language that is neither preprocessed nor one the server gives its preprocessed form. */
    private static ArgumentDecision checkLanguage(String arg, String next) {
        String language;
        if (arg.equals("-x")) {
            language = next;
        } else if (arg.startsWith("-x")) {
            language = arg.substring(2);
        } else {
            return null;
        }
        if (language == null || PREPROCESSED_FORM.containsKey(language) || PREPROCESSED_LANGUAGES.contains(language)) {
            return null;
        }
        return new ArgumentDecision.Refused("language '" + Printable.of(language) + "' after '" + Printable.of(arg)
                + "' is refused: the client preprocessed the source, and gcc would preprocess or misread it again");
    }

    /**
     * {@code argv} with each {@code -x} language that runs the preprocessor (c, c++, objective-c,
     * objective-c++), separate or joined, replaced by its preprocessed form (cpp-output, ...); the
     * rest unchanged. A plain-mode server runs this, so its compiler never preprocesses.
     */
    public static List<String> withPreprocessedLanguages(List<String> argv) {
        List<String> rewritten = new ArrayList<>(argv);
        for (int i = 1; i < rewritten.size(); i++) {
            String arg = rewritten.get(i);
            if (arg.equals("-x") && i + 1 < rewritten.size()) {
                String form = PREPROCESSED_FORM.get(rewritten.get(i + 1));
                if (form != null) {
                    rewritten.set(++i, form);
                }
            } else if (arg.startsWith("-x") && PREPROCESSED_FORM.containsKey(arg.substring(2))) {
                rewritten.set(i, "-x" + PREPROCESSED_FORM.get(arg.substring(2)));
            }
        }
        return List.copyOf(rewritten);
    }

    /** Checks the value of {@code joined}-prefixed and comma-carrier arguments against {@code ruleSets}. */
    @SafeVarargs
    private static ArgumentDecision checkJoinedAndCommas(String arg, List<String> joined, String commas,
                                                         List<Rule>... ruleSets) {
        for (String prefix : joined) {
            if (arg.startsWith(prefix)) {
                ArgumentDecision decision = checkPassedOn(arg.substring(prefix.length()), arg, ruleSets);
                if (decision != null) {
                    return decision;
                }
            }
        }
        if (arg.startsWith(commas)) {
            for (String value : arg.substring(commas.length()).split(",", -1)) {
                ArgumentDecision decision = checkPassedOn(value, arg, ruleSets);
                if (decision != null) {
                    return decision;
                }
            }
        }
        return null;
    }

    /** Returns a refusal if {@code value}, handed on by {@code carrier}, breaks one of {@code ruleSets}, else null. */
    @SafeVarargs
    private static ArgumentDecision checkPassedOn(String value, String carrier, List<Rule>... ruleSets) {
        for (List<Rule> rules : ruleSets) {
            Rule rule = firstMatch(rules, value);
            if (rule != null) {
                return refused(value, carrier, rule);
            }
        }
        return null;
    }

    private static boolean takesNext(String arg) {
        return TAKES_NEXT.contains(arg) || arg.startsWith(TAKES_NEXT_PREFIX);
    }

    /** {@code -fdump-tree-all=FILE} names a file; {@code =stderr} and {@code =stdout} do not. */
    private static boolean namesFile(String arg) {
        int eq = arg.indexOf('=');
        return eq >= 0 && !STREAMS.contains(arg.substring(eq + 1));
    }

    private static Rule firstMatch(List<Rule> rules, String arg) {
        for (Rule rule : rules) {
            if (rule.matches(arg)) {
                return rule;
            }
        }
        return null;
    }

    private static ArgumentDecision refused(String arg, String carrier, Rule rule) {
        String via = carrier == null ? "" : " (handed on by '" + Printable.of(carrier) + "')";
        return new ArgumentDecision.Refused(
                "argument '" + Printable.of(arg) + "'" + via + " is refused: " + rule.why());
    }
}
