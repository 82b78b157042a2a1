package org.jdistcc.server.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A test oracle: reads a compiler command line the way gcc 12's driver does (which options take the
 * next argument, which operands it compiles, which -x language applies to each) and lists every way
 * the command would load a program, or read or write a file, that the server did not choose. The
 * server chooses exactly two paths: the job's input and its {@code -o}; dumps and temporary files
 * that land in the job's own directory by default are fine.
 *
 * <p>It is written from gcc's documentation and from trying gcc 12 (each option gcc lists was run in
 * front of {@code -o}), independently of the server's {@code ArgumentPolicy}, so that the fuzz test
 * checks the policy rather than repeating it.
 */
final class GccFileAccess {
    /** Options after which gcc's driver (or clang's) reads the next argument as the value. */
    private static final Set<String> TAKES_NEXT = Set.of(
            "-A", "-B", "-D", "-F", "-I", "-J", "-L", "-R", "-T", "-Tbss", "-Tdata", "-Ttext", "-U", "-Hd", "-Hf",
            "-MF", "-MQ", "-MT", "-Xassembler", "-Xf", "-Xlinker", "-Xpreprocessor", "-aux-info", "-dumpbase",
            "-dumpbase-ext", "-dumpdir", "-e", "-h", "-fintrinsic-modules-path", "-idirafter", "-imacros",
            "-imultiarch", "-imultilib", "-include", "-iprefix", "-iquote", "-isysroot", "-isystem", "-iwithprefix",
            "-iwithprefixbefore", "-l", "-o", "-specs", "-u", "-wrapper", "-x", "-z", "--assert", "--define-macro",
            "--dump", "--dumpbase", "--dumpbase-ext", "--dumpdir", "--imacros", "--include", "--include-directory",
            "--include-directory-after", "--include-prefix", "--include-with-prefix", "--include-with-prefix-after",
            "--include-with-prefix-before", "--undefine-macro", "--output", "--language", "--param", "--sysroot",
            "--for-assembler", "--for-linker", "--prefix", "--specs", "-Xclang", "-mllvm", "-serialize-diagnostics",
            "-working-directory", "-ivfsoverlay", "-include-pch");

    /** Separate-value options whose value is a path the compiler writes or reads. */
    private static final Set<String> PATH_VALUE = Set.of(
            "-MF", "-aux-info", "-dumpdir", "--dumpdir", "-dumpbase", "--dumpbase", "-Hd", "-Hf", "-Xf", "-J",
            "-serialize-diagnostics", "-working-directory", "-ivfsoverlay", "-include-pch", "-B", "--prefix",
            "-specs", "--specs", "-wrapper");

    /** Joined options (prefix up to and including '=') whose value is a path or program. */
    private static final List<String> JOINED_PATH = List.of(
            "-MF", "-aux-info=", "-fplugin", "-iplugindir=", "-specs=", "--specs=", "-B", "--prefix=",
            "-fmodule-mapper=", "--config", "-fprofile-note=", "-fdeps-file=", "-fdiagnostics-add-output=",
            "-fdiagnostics-set-output=", "-fcompare-debug=", "--output-pch=", "-ftime-trace=",
            "-foptimization-record-file=", "-fcrash-diagnostics-dir=", "-fmodules-cache-path=", "-fpass-plugin=",
            "-fproc-stat-report=", "@");

    /** Languages gcc compiles without running the preprocessor. */
    private static final Set<String> PREPROCESSED = Set.of(
            "cpp-output", "c++-cpp-output", "objective-c-cpp-output", "objective-c++-cpp-output", "objc-cpp-output",
            "objc++-cpp-output");

    /** Suffixes gcc compiles (rather than hands to the linker) when no -x applies. */
    private static final Set<String> COMPILED = Set.of(
            ".c", ".i", ".ii", ".cc", ".cp", ".cxx", ".cpp", ".CPP", ".c++", ".C", ".h", ".hh", ".H", ".hp", ".hxx",
            ".hpp", ".HPP", ".h++", ".tcc", ".m", ".mi", ".mm", ".M", ".mii", ".s", ".S", ".sx", ".f", ".for",
            ".F", ".f90", ".F90", ".f95", ".f03", ".f08", ".go", ".d", ".di", ".ads", ".adb", ".rs", ".m2");

    private static final Set<String> SUFFIXES_WITHOUT_CPP = Set.of(".i", ".ii", ".mi", ".mii");

    private GccFileAccess() {
    }

    /**
     * What is wrong with running {@code argv} (compiler first) with {@code input} and {@code output}
     * as the job's files; empty if nothing.
     */
    static List<String> violations(List<String> argv, String input, String output) {
        List<String> found = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> compiled = new ArrayList<>();
        String inputLanguage = null;
        String language = "none";
        boolean stopsBeforeLinking = false;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (TAKES_NEXT.contains(a) && i + 1 < argv.size()) {
                String value = argv.get(++i);
                switch (a) {
                    case "-o", "--output" -> outputs.add(value);
                    case "-x", "--language" -> language = value;
                    case "-Xassembler", "--for-assembler" -> assembler(value, found);
                    case "-Xpreprocessor", "-Xclang", "-mllvm" -> handedOn(a, value, found);
                    default -> {
                        if (PATH_VALUE.contains(a)) {
                            found.add(a + " " + value + " names a path");
                        }
                    }
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                stopsBeforeLinking |= a.equals("-c") || a.equals("-S") || a.equals("-E");
                joined(a, outputs, found);
                if (a.startsWith("-x")) {
                    language = a.substring(2);
                } else if (a.startsWith("--language=")) {
                    language = a.substring("--language=".length());
                }
            } else if (!language.equals("none") || COMPILED.contains(suffix(a))) {
                compiled.add(a);
                if (a.equals(input)) {
                    inputLanguage = language;
                }
            }
        }
        if (!stopsBeforeLinking) {
            found.add("gcc sees no -c or -S, so it links, running the linker with the client's -Wl, options");
        }
        if (outputs.isEmpty()) {
            found.add("gcc sees no -o, so it writes next to its inputs: " + compiled);
        } else if (!outputs.getLast().equals(output)) { // the last -o wins
            found.add("gcc writes the object to " + outputs.getLast() + ", not the job's output");
        }
        // With -o and two or more inputs gcc stops before opening any ("cannot specify -o ...").
        if (compiled.size() == 1 && !compiled.get(0).equals(input)) {
            found.add("gcc compiles " + compiled.get(0) + " instead of the job's input");
        }
        boolean preprocessedAgain = inputLanguage != null && (inputLanguage.equals("none")
                ? !SUFFIXES_WITHOUT_CPP.contains(suffix(input)) : !PREPROCESSED.contains(inputLanguage));
        if (preprocessedAgain && compiled.size() == 1) {
            found.add("gcc preprocesses the client's source again (language " + inputLanguage + ")");
        }
        return found;
    }

    private static void joined(String a, List<String> outputs, List<String> found) {
        if (a.startsWith("-o")) {
            outputs.add(a.substring(2));
        } else if (a.startsWith("--output=")) {
            outputs.add(a.substring("--output=".length()));
        }
        for (String prefix : JOINED_PATH) {
            if (a.startsWith(prefix) && !a.equals("-fcompare-debug=")) {
                found.add(a + " names a path or a program");
                return;
            }
        }
        if ((a.startsWith("-fdump-") || a.startsWith("-fopt-info")) && a.contains("=")
                && !a.endsWith("=stderr") && !a.endsWith("=stdout")) {
            found.add(a + " writes a dump to a named file");
        } else if (a.startsWith("-save-temps=") && !a.equals("-save-temps=cwd") && !a.equals("-save-temps=obj")) {
            found.add(a + " names a directory for temporary files");
        } else if (a.startsWith("-Wa,")) {
            for (String value : a.substring(4).split(",", -1)) {
                assembler(value, found);
            }
        } else if (a.startsWith("-Wp,")) {
            for (String value : a.substring(4).split(",", -1)) {
                handedOn("-Wp,", value, found);
                if (value.equals("-MD") || value.equals("-MMD")) {
                    found.add(a + " makes cpp write a dependency file named in it");
                }
            }
        } else if (a.startsWith("-Xclang=") || a.startsWith("-mllvm=") || a.startsWith("--for-assembler=")) {
            String value = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--for-assembler=")) {
                assembler(value, found);
            } else {
                handedOn(a, value, found);
            }
        }
    }

    private static void assembler(String value, List<String> found) {
        if (value.startsWith("-o") || value.startsWith("--MD") || value.startsWith("@")
                || value.startsWith("-a") && value.contains("=")) {
            found.add("the assembler gets " + value + ", which names a file");
        }
    }

    private static void handedOn(String carrier, String value, List<String> found) {
        if (value.startsWith("-MF") || value.startsWith("-load") || value.startsWith("-plugin")
                || value.startsWith("-add-plugin") || value.startsWith("-dependency-file") || value.startsWith("-o")
                || value.startsWith("-info-output-file") || value.startsWith("@")) {
            found.add(carrier + " hands on " + value + ", which names a file or loads code");
        }
        for (String prefix : JOINED_PATH) {
            if (value.startsWith(prefix)) {
                found.add(carrier + " hands on " + value + ", which names a path or a program");
                return;
            }
        }
    }

    private static String suffix(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash ? name.substring(dot) : "";
    }
}
