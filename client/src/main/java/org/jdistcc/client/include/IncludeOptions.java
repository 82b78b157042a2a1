package org.jdistcc.client.include;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a compile command says about where headers come from: the {@code -iquote}, {@code -I},
 * {@code -isystem} and {@code -idirafter} directories in order, the {@code -include} and
 * {@code -imacros} files, the {@code -D} macros, the language, and the options that change the
 * compiler's own system directories (asked of the compiler with them). Options include analysis does
 * not model ({@code -I-}, {@code -iprefix} and friends, {@code -Xpreprocessor}, a sysroot-relative
 * {@code -I=dir}, assembler input) make {@link #parse} answer with a reason instead. Pure.
 *
 * @param probeOptions the options given to the compiler when asking it for its system directories
 * @param language     {@code c} or {@code c++}: the {@code -x} the system directories are asked for
 */
record IncludeOptions(List<String> quoteDirs, List<String> bracketDirs, List<String> systemDirs,
                      List<String> afterDirs, List<String> forcedIncludes, List<Directive.Define> defines,
                      List<String> probeOptions, String language) {

    private static final Set<String> UNSUPPORTED = Set.of("-I-", "-iprefix", "-iwithprefix", "-iwithprefixbefore",
            "-Xpreprocessor", "-imultilib", "-iplugindir", "-fpch-preprocess", "--include-directory",
            "--include-directory-after", "--include-prefix", "--include-with-prefix", "--include-with-prefix-after",
            "--include-with-prefix-before", "--include", "--imacros", "--include-barrier", "-iframework");
    /** Options with a separate value that change the compiler's own include directories. */
    private static final Set<String> PROBE_WITH_VALUE = Set.of("--sysroot", "-isysroot", "-target", "--target",
            "-stdlib", "-B");
    private static final Set<String> CPLUSPLUS = Set.of(".cc", ".cpp", ".cxx", ".cp", ".c++", ".C", ".CPP", ".mm",
            ".M");

    /** The options of {@code argv} (compiler first, {@code -Wp,} already expanded) for {@code input}, or why not. */
    static Result parse(List<String> argv, String input) {
        List<String> quote = new ArrayList<>();
        List<String> bracket = new ArrayList<>();
        List<String> system = new ArrayList<>();
        List<String> after = new ArrayList<>();
        List<String> forced = new ArrayList<>();
        List<Directive.Define> defines = new ArrayList<>();
        List<String> probe = new ArrayList<>();
        String language = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            String unsupported = unsupported(a);
            if (unsupported != null) {
                return new Result.Unsure("unsupported option " + unsupported);
            }
            boolean hasNext = i + 1 < argv.size();
            if (a.startsWith("-I") || a.startsWith("-iquote") || a.startsWith("-isystem") || a.startsWith("-idirafter")
                    || a.equals("-include") || a.equals("-imacros") || a.startsWith("-D") || a.equals("-x")) {
                String flag = a.startsWith("-I") ? "-I" : a.startsWith("-iquote") ? "-iquote"
                        : a.startsWith("-isystem") ? "-isystem" : a.startsWith("-idirafter") ? "-idirafter"
                        : a.startsWith("-D") ? "-D" : a;
                String value;
                if (a.length() > flag.length()) {
                    value = a.substring(flag.length());
                } else if (hasNext) {
                    value = argv.get(++i);
                } else {
                    return new Result.Unsure("option " + a + " without its value");
                }
                if (!flag.equals("-D") && !flag.equals("-x") && (value.startsWith("=") || value.startsWith("$SYSROOT"))) {
                    return new Result.Unsure("sysroot-relative directory " + a + value);
                }
                switch (flag) {
                    case "-I" -> bracket.add(value);
                    case "-iquote" -> quote.add(value);
                    case "-isystem" -> system.add(value);
                    case "-idirafter" -> after.add(value);
                    case "-include", "-imacros" -> forced.add(value);
                    case "-D" -> defines.add(define(value));
                    default -> language = value;
                }
            } else if (a.startsWith("-x") && a.length() > 2) {
                language = a.substring(2);
            } else if (PROBE_WITH_VALUE.contains(a) && hasNext) {
                probe.add(a);
                probe.add(argv.get(++i));
            } else if (a.startsWith("-m") || a.startsWith("--sysroot=") || a.startsWith("-isysroot")
                    || a.startsWith("-stdlib=") || a.startsWith("--target=") || a.equals("-nostdinc")
                    || a.equals("-nostdinc++") || a.startsWith("-specs") || a.startsWith("--specs")) {
                probe.add(a);
            }
        }
        Optional<String> lang = language(language, input);
        if (lang.isEmpty()) {
            return new Result.Unsure("language of " + input + " not analysed"
                    + (language == null ? "" : " (-x " + language + ")"));
        }
        return new Result.Options(new IncludeOptions(quote, bracket, system, after, forced, defines, probe, lang.get()));
    }

    /** What {@link #parse} found: the options, or why include analysis cannot be sure of this command. */
    sealed interface Result {
        record Options(IncludeOptions options) implements Result {
        }

        record Unsure(String reason) implements Result {
        }
    }

    private static String unsupported(String a) {
        for (String u : UNSUPPORTED) {
            if (a.equals(u) || u.startsWith("--") && a.startsWith(u + "=") || !u.startsWith("--") && !u.equals("-I-")
                    && a.startsWith(u)) {
                return a;
            }
        }
        return null;
    }

    /** {@code -DNAME}, {@code -DNAME=value} or {@code -DNAME(args)=value} as a definition. */
    static Directive.Define define(String value) {
        int eq = value.indexOf('=');
        String head = eq < 0 ? value : value.substring(0, eq);
        String body = eq < 0 ? "1" : value.substring(eq + 1);
        List<Directive> parsed = DirectiveScanner.scan(("#define " + head + " " + body)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return parsed.isEmpty() ? new Directive.Define(head, null, body) : (Directive.Define) parsed.get(0);
    }

    /** {@code c} or {@code c++} from {@code -x} or the input's extension; empty for other languages. */
    static Optional<String> language(String x, String input) {
        if (x != null) {
            return switch (x.toLowerCase(Locale.ROOT)) {
                case "c", "objective-c", "c-header" -> Optional.of("c");
                case "c++", "objective-c++", "c++-header" -> Optional.of("c++");
                default -> Optional.empty();
            };
        }
        int dot = input.lastIndexOf('.');
        String ext = dot < 0 || dot < input.lastIndexOf('/') ? "" : input.substring(dot);
        if (ext.equals(".c") || ext.equals(".m")) {
            return Optional.of("c");
        }
        return CPLUSPLUS.contains(ext) ? Optional.of("c++") : Optional.empty();
    }
}
