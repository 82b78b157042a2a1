package org.jdistcc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jdistcc.compiler.ScanResult.Distribute;
import org.jdistcc.compiler.ScanResult.Local;
import org.jdistcc.compiler.ScanResult.OutputForm;

/**
 * distcc 3.4's argument scanner ({@code dcc_scan_args}): decides whether a compiler command can be
 * distributed, and if so finds its input and output. Client and server run the same scanner on the
 * same argv, so its decisions, quirks included, are part of the protocol.
 *
 * <p>Callers keep these rules: {@code argv.get(0)} is the compiler (the client inserts {@code cc}
 * for an implicit compiler and expands {@code -Wp,} first, see {@link ClientArguments}); the
 * scanner is pure and total, so any list of strings gives a {@link ScanResult} and never an
 * exception (a null list or null element is a programming error, not input, and throws
 * NullPointerException).
 *
 * <p>The walk starts at {@code argv[0]}, as distcc's does, and for an option the first matching
 * rule decides. Quirks kept on purpose: options the scanner does not know keep their arguments in
 * the walk, so {@code -include foo.c} makes {@code foo.c} a second source; any argument ending in
 * {@code .o} counts as an output; {@code -x} tests the <em>next</em> argument even in its joined
 * form ({@code -xc -c f.c} is local because {@code -c} does not start with "c"); {@code -S} beats
 * {@code -c} for the implied output name.
 */
public final class ArgumentScanner {

    /** {@code -M} options that are fine with the way the client runs cpp. */
    private static final Set<String> DEPENDENCY_SIDE_EFFECTS = Set.of("-MD", "-MMD", "-MG", "-MP");

    /** Dependency options whose value is the next argument, which the walk then skips. */
    private static final Set<String> DEPENDENCY_WITH_VALUE = Set.of("-MF", "-MT", "-MQ");

    private static final Set<String> PROFILING_EXACT =
            Set.of("-fprofile-arcs", "-ftest-coverage", "--coverage", "-fprofile-correction");

    private static final List<String> PROFILING_PREFIXES =
            List.of("-fprofile-generate", "-fprofile-use", "-fauto-profile");

    /** Languages after {@code -x} that stay distributable, as prefixes ("c" covers "c++"). */
    private static final List<String> C_LIKE_LANGUAGES = List.of("c", "objective-c", "go");

    private ArgumentScanner() {
    }

    /** Scans a compiler command whose first element is the compiler. */
    public static ScanResult scan(List<String> argv) {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            return new Local(LocalReason.EMPTY_COMMAND, "no compiler and no arguments");
        }
        if (argv.get(0).startsWith("-")) {
            // distcc exits with EXIT_BAD_ARGUMENTS (101) here ("unrecognized distcc option"); the
            // client rejects such a command before scanning, so this only answers hostile input.
            return new Local(LocalReason.COMPILER_LOOKS_LIKE_OPTION,
                    "compiler '" + argv.get(0) + "'");
        }
        return new Walk(argv).run();
    }

    /**
     * The local-only rule an option breaks, if any, in distcc's order. {@code next} is the argument
     * after it, or null when it is the last. The rules for {@code -S}, {@code -c}, {@code -o} and
     * {@code -MF/-MT/-MQ} skipping live in the walk; their spellings share no prefix with these, so
     * checking these first decides exactly as distcc's single if-chain does.
     */
    static Optional<LocalReason> localOnlyRule(String option, String next) {
        if (option.equals("-E")) {
            return Optional.of(LocalReason.PREPROCESS_ONLY);
        } else if (option.startsWith("-M")) {
            return dependencyOptionIsFine(option)
                    ? Optional.empty() : Optional.of(LocalReason.DEPENDENCIES_ONLY);
        } else if (option.equals("-march=native") || option.equals("-mtune=native")) {
            return Optional.of(LocalReason.NATIVE_CPU);
        } else if (option.startsWith("-flto")) {
            // A prefix test: 3.4 also refused -flto=N (distcc/distcc#428, reverted in #429).
            return Optional.of(LocalReason.LTO);
        } else if (option.startsWith("-Wa,")) {
            return option.contains(",-a") || option.contains("--MD")
                    ? Optional.of(LocalReason.ASSEMBLER_LISTING) : Optional.empty();
        } else if (option.startsWith("-specs=")) {
            return Optional.of(LocalReason.SPECS);
        } else if (isProfiling(option)) {
            return Optional.of(LocalReason.PROFILING);
        } else if (option.equals("-frepo")) {
            return Optional.of(LocalReason.FREPO);
        } else if (option.startsWith("-x") && next != null && !isCLikeLanguage(next)) {
            return Optional.of(LocalReason.UNSUPPORTED_LANGUAGE);
        } else if (option.startsWith("-dr")) {
            return Optional.of(LocalReason.RTL_DUMP);
        }
        return Optional.empty();
    }

    private static boolean dependencyOptionIsFine(String option) {
        return DEPENDENCY_SIDE_EFFECTS.contains(option)
                || option.startsWith("-MF") || option.startsWith("-MT") || option.startsWith("-MQ");
    }

    private static boolean isProfiling(String option) {
        return PROFILING_EXACT.contains(option)
                || PROFILING_PREFIXES.stream().anyMatch(option::startsWith);
    }

    private static boolean isCLikeLanguage(String language) {
        return C_LIKE_LANGUAGES.stream().anyMatch(language::startsWith);
    }

    private static String describe(LocalReason reason, String option, String next) {
        if (reason == LocalReason.UNSUPPORTED_LANGUAGE) {
            return "option '" + option + "' followed by '" + next + "'";
        }
        return "option '" + option + "'";
    }

    /** One pass over one argv; holds what has been seen so far. */
    private static final class Walk {
        private final List<String> argv;
        private int index;
        private boolean sawCompile;
        private boolean sawAssembly;
        private int inputIndex = -1;
        private int outputIndex = -1;
        private OutputForm outputForm;
        private String output;

        Walk(List<String> argv) {
            this.argv = argv;
        }

        ScanResult run() {
            for (index = 0; index < argv.size(); index++) {
                String argument = argv.get(index);
                Optional<Local> local =
                        argument.startsWith("-") ? option(argument) : operand(argument);
                if (local.isPresent()) {
                    return local.get();
                }
            }
            return conclude();
        }

        private Optional<Local> option(String option) {
            String next = index + 1 < argv.size() ? argv.get(index + 1) : null;
            Optional<LocalReason> rule = localOnlyRule(option, next);
            if (rule.isPresent()) {
                return Optional.of(new Local(rule.get(), describe(rule.get(), option, next)));
            }
            if (DEPENDENCY_WITH_VALUE.contains(option)) {
                index++;
            } else if (option.equals("-S")) {
                sawAssembly = true;
            } else if (option.equals("-c")) {
                sawCompile = true;
            } else if (option.equals("-o")) {
                if (next == null) {
                    // distcc reads past the end of argv here (undefined behaviour); a named local
                    // reason is the safe answer, unless an output was already seen, as distcc says.
                    return output == null
                            ? Optional.of(new Local(LocalReason.MISSING_OUTPUT_NAME, "option '-o'"))
                            : secondOutput("-o");
                }
                index++;
                return foundOutput(next, index, OutputForm.SEPARATE);
            } else if (option.startsWith("-o")) {
                return foundOutput(option.substring(2), index, OutputForm.JOINED);
            }
            return Optional.empty();
        }

        private Optional<Local> operand(String operand) {
            if (Filenames.isSource(operand)) {
                if (inputIndex >= 0) {
                    return Optional.of(new Local(LocalReason.TWO_INPUTS,
                            "source '" + operand + "' after '" + argv.get(inputIndex) + "'"));
                }
                inputIndex = index;
            } else if (operand.endsWith(".o")) {
                return foundOutput(operand, index, OutputForm.BARE_OBJECT);
            }
            return Optional.empty();
        }

        private Optional<Local> foundOutput(String name, int at, OutputForm form) {
            if (output != null) {
                return secondOutput(name);
            }
            output = name;
            outputIndex = at;
            outputForm = form;
            return Optional.empty();
        }

        private Optional<Local> secondOutput(String name) {
            return Optional.of(new Local(LocalReason.TWO_OUTPUTS,
                    "output '" + name + "' after '" + output + "'"));
        }

        private ScanResult conclude() {
            if (!sawCompile && !sawAssembly) {
                return new Local(LocalReason.NOT_COMPILING, "no -c or -S among the arguments");
            }
            if (inputIndex < 0) {
                return new Local(LocalReason.NO_INPUT, "no argument is a source file");
            }
            String input = argv.get(inputIndex);
            if (Filenames.isConftest(input)) {
                return new Local(LocalReason.CONFTEST, "source '" + input + "'");
            }
            if (output == null) {
                return withImpliedOutput(input);
            }
            return distributeOrStdout(input, argv);
        }

        private ScanResult withImpliedOutput(String input) {
            Optional<String> implied = Filenames.impliedOutput(input, sawAssembly);
            if (implied.isEmpty()) {
                return new Local(LocalReason.NO_OUTPUT_NAME, "source '" + input + "'");
            }
            List<String> extended = new ArrayList<>(argv.size() + 2);
            extended.addAll(argv);
            extended.add("-o");
            extended.add(implied.get());
            output = implied.get();
            outputIndex = extended.size() - 1;
            outputForm = OutputForm.IMPLIED;
            return distributeOrStdout(input, extended);
        }

        private ScanResult distributeOrStdout(String input, List<String> finalArgv) {
            if (output.equals("-")) {
                return new Local(LocalReason.OUTPUT_TO_STDOUT, "output '-'");
            }
            return new Distribute(input, output, finalArgv, sawAssembly,
                    inputIndex, outputIndex, outputForm);
        }
    }
}
