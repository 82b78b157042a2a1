package org.jdistcc.compiler;

/**
 * Why a compiler command must run on this machine rather than be distributed: one value per
 * local-only rule of distcc 3.4's argument scanner ({@code dcc_scan_args}), plus the malformed
 * command lines it never meant to see.
 *
 * <p>Callers keep one rule: only {@link #PREPROCESS_ONLY} runs under a cpp slot (distcc's
 * EXIT_LOCAL_CPP, 120); every other reason runs under an ordinary local slot, and
 * {@link #COMPILER_LOOKS_LIKE_OPTION} is where distcc itself stops with EXIT_BAD_ARGUMENTS (101).
 */
public enum LocalReason {
    /** {@code -E}: only the preprocessor runs. */
    PREPROCESS_ONLY("-E runs only the preprocessor, which must be local"),
    /** {@code -M}, {@code -MM}, and any {@code -M…} but MD, MMD, MG, MP and MF/MT/MQ forms. */
    DEPENDENCIES_ONLY("-M options other than -MD/-MMD imply -E and must be local"),
    /** {@code -march=native}, {@code -mtune=native}. */
    NATIVE_CPU("code generated for the local CPU must be compiled locally"),
    /** {@code -flto…}; distcc 3.4 only, master reverted it. */
    LTO("LTO compiles are not worth distributing"),
    /** {@code -Wa,…} with {@code ,-a} or {@code --MD}. */
    ASSEMBLER_LISTING("the assembler would write a listing or dependency file locally"),
    /** {@code -specs=…}. */
    SPECS("a specs file changes the compiler and must be local"),
    /** Coverage and profile-guided options. */
    PROFILING("the compiler emits or uses profile data, which must be local"),
    /** {@code -frepo}. */
    FREPO("the compiler emits .rpo files, which must be local"),
    /** {@code -x} followed by a language that is not C-like. */
    UNSUPPORTED_LANGUAGE("gcc's -x handling is complex; running locally"),
    /** {@code -dr…}. */
    RTL_DUMP("the compiler writes RTL dump files, which must be local"),
    /** A second source file ("do we have two inputs? i give up"). */
    TWO_INPUTS("more than one source file"),
    /** A second output ("called for link? i give up"). */
    TWO_OUTPUTS("more than one output file; probably a link"),
    /** Neither {@code -c} nor {@code -S}. */
    NOT_COMPILING("neither -c nor -S: not a compile"),
    /** No argument is a source file. */
    NO_INPUT("no visible input file"),
    /** The source is an autoconf probe. */
    CONFTEST("autoconf tests are run locally"),
    /** {@code -o -}. */
    OUTPUT_TO_STDOUT("output to stdout; running locally"),
    /** No {@code -o}, and the source name is too short to imply one. */
    NO_OUTPUT_NAME("cannot work out the output name from the source name"),
    /** {@code -o} is the last argument, with no file name after it. */
    MISSING_OUTPUT_NAME("-o is the last argument and names no file"),
    /** The argument list is empty: there is no compiler. */
    EMPTY_COMMAND("the command is empty"),
    /** The compiler name starts with {@code -}. */
    COMPILER_LOOKS_LIKE_OPTION("the compiler name starts with '-'");

    private final String sentence;

    LocalReason(String sentence) {
        this.sentence = sentence;
    }

    /** A short sentence for logs, without the offending argument (see {@link ScanResult.Local}). */
    public String sentence() {
        return sentence;
    }

    /** Whether the local run takes a cpp slot instead of a compile slot: only for {@code -E}. */
    public boolean usesCppSlot() {
        return this == PREPROCESS_ONLY;
    }
}
