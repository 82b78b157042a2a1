package org.jdistcc.compiler;

import java.util.Optional;
import java.util.Set;

/**
 * What distcc knows about C file names ({@code filename.c}): extensions, which files are sources,
 * which are already preprocessed, which are objects, which are autoconf probes, and the output name
 * the compiler implies when there is no {@code -o}.
 *
 * <p>Every function is pure and total: any string in, an answer out. Extensions are compared
 * case-sensitively ({@code .C} is C++, {@code .c} is C), and only the basename (the text after the
 * last {@code /}) is looked at. distcc looks for the last dot in the whole path instead; the two
 * agree on every classification, because an extension that contains a {@code /} never matches.
 */
public final class Filenames {

    private static final Set<String> SOURCE = Set.of(
            ".c", ".i",
            ".cc", ".cpp", ".cxx", ".cp", ".c++", ".C", ".ii",
            ".m", ".mi",
            ".mm", ".M", ".mii");

    private static final Set<String> PREPROCESSED = Set.of(".i", ".ii", ".mi", ".mii");

    private static final Set<String> C = Set.of(".c", ".i");
    private static final Set<String> CPLUSPLUS =
            Set.of(".cc", ".cpp", ".cxx", ".cp", ".c++", ".C", ".ii");
    private static final Set<String> OBJECTIVE_C = Set.of(".m", ".mi");
    private static final Set<String> OBJECTIVE_CPLUSPLUS = Set.of(".mm", ".M", ".mii");

    private Filenames() {
    }

    /** The text after the last {@code /}, or the whole name when it has none. */
    public static String basename(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /**
     * The extension of the basename, dot included: {@code hello.2.4.c} gives {@code .c} and
     * {@code .foo} gives {@code .foo}. Empty when the basename has no dot or ends with one.
     */
    public static Optional<String> extension(String name) {
        String base = basename(name);
        int dot = base.lastIndexOf('.');
        if (dot < 0 || dot == base.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(base.substring(dot));
    }

    /**
     * Whether the name is a C, C++, Objective-C or Objective-C++ source, preprocessed or not, and
     * so eligible for distribution. Assembly ({@code .s}, {@code .S}) is not: the assembler
     * resolves {@code .include}, so it is never sent.
     */
    public static boolean isSource(String name) {
        return extension(name).filter(SOURCE::contains).isPresent();
    }

    /** Whether the name is already preprocessed ({@code .i .ii .mi .mii}), so cpp is skipped. */
    public static boolean isPreprocessed(String name) {
        return extension(name).filter(PREPROCESSED::contains).isPresent();
    }

    /** Whether the extension is exactly {@code .o}. */
    public static boolean isObject(String name) {
        return extension(name).filter(".o"::equals).isPresent();
    }

    /** Whether the basename starts with {@code conftest.} or {@code tmp.conftest.} (autoconf). */
    public static boolean isConftest(String name) {
        String base = basename(name);
        return base.startsWith("conftest.") || base.startsWith("tmp.conftest.");
    }

    /**
     * The extension a preprocessed copy of this source gets, which is also how the server's
     * compiler learns the language: {@code .i}, {@code .ii}, {@code .mi}, {@code .mii}, {@code .s}
     * for assembly (either case) and {@code .tmp} for anything else, a name without extension
     * included.
     */
    public static String preprocessedExtension(String sourceName) {
        String extension = extension(sourceName).orElse("");
        if (C.contains(extension)) {
            return ".i";
        } else if (CPLUSPLUS.contains(extension)) {
            return ".ii";
        } else if (OBJECTIVE_C.contains(extension)) {
            return ".mi";
        } else if (OBJECTIVE_CPLUSPLUS.contains(extension)) {
            return ".mii";
        } else if (extension.equals(".s") || extension.equals(".S")) {
            return ".s";
        }
        return ".tmp";
    }

    /**
     * The output the compiler writes when no {@code -o} is given: the source's basename (gcc writes
     * to the working directory) with its extension replaced by {@code .s} for {@code -S} or
     * {@code .o} otherwise. Empty, as in distcc ("source file is bogus"), when the basename is
     * shorter than 3 characters or has no extension.
     */
    public static Optional<String> impliedOutput(String source, boolean assembly) {
        String base = basename(source);
        if (base.length() < 3) {
            return Optional.empty();
        }
        return extension(base).map(extension ->
                base.substring(0, base.length() - extension.length()) + (assembly ? ".s" : ".o"));
    }
}
