package org.jdistcc.server.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdistcc.compiler.ScanResult;
import org.jdistcc.compiler.ServerArguments;

/**
 * The command a server runs for a pump-mode (protocol 3) job, from the server's own scan of the
 * client's argv ({@code tweak_arguments_for_server} in {@code serve.c}):
 * <ul>
 * <li>the output goes to the job's temp output;</li>
 * <li>the first {@code -MT X} pair is removed and X becomes the {@code .d} target (gcc would add
 * a target, not replace it);</li>
 * <li>the client's own {@code -MF} is removed, {@code -MMD} is added unless {@code -MD} or
 * {@code -MMD} is there, and {@code -MF <job's .d>} is added, so gcc writes dependencies only into
 * the job directory (distcc 3.4 leaves the client's {@code -MF} in front of its own, where gcc
 * ignores it);</li>
 * <li>the fake root is put in front of every absolute value of an include option, joined or
 * separate ({@code -I -include -imacros -idirafter -iprefix -iwithprefix -iwithprefixbefore
 * -isystem -iquote}; longest option first, where 3.4 misreads {@code -iwithprefixbefore DIR}), of
 * the old path of {@code -f…-prefix-map=} options (as distcc's master branch does, so a client's
 * {@code -ffile-prefix-map=/home/u/src=.} still applies), and of an absolute input file.</li>
 * </ul>
 * Pure; the caller checks the argv with {@code ArgumentPolicy.checkPump} first.
 */
final class PumpArguments {
    /** Longest first, so that {@code -iwithprefixbefore} is not read as {@code -iwithprefix}. */
    private static final List<String> INCLUDE_OPTIONS = List.of("-iwithprefixbefore", "-iwithprefix", "-idirafter",
            "-imacros", "-include", "-isystem", "-iprefix", "-iquote", "-I");

    private static final List<String> PREFIX_MAPS = List.of("-ffile-prefix-map=", "-fmacro-prefix-map=",
            "-fdebug-prefix-map=", "-fprofile-prefix-map=");

    /**
     * The rewritten command.
     *
     * @param argv   the command, compiler name still first as the client sent it
     * @param target the {@code .d} target the client asked for with {@code -MT}, or its output name
     */
    record Rewritten(List<String> argv, String target) {
        Rewritten {
            argv = List.copyOf(argv);
        }
    }

    private PumpArguments() {
    }

    /**
     * The command for {@code job}, or empty when it cannot be rewritten: a bare {@code .o} output
     * without {@code -o}, or a {@code -MT} with no value.
     *
     * @param root   the fake root, without a trailing slash
     * @param output the job's temp output file
     * @param deps   the job's temp {@code .d} file
     */
    static Optional<Rewritten> rewrite(ScanResult.Distribute job, String root, String output, String deps) {
        String input = job.input().startsWith("/") ? rooted(root, job.input()) : job.input();
        Optional<List<String>> withOutput = ServerArguments.withTempFiles(job, input, output);
        if (withOutput.isEmpty()) {
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>(withOutput.get());
        String target = job.output();
        int mt = argv.indexOf("-MT");
        if (mt >= 0) {
            if (mt + 1 >= argv.size() || mt + 1 == job.inputIndex() || mt + 1 == job.outputIndex()
                    || job.outputForm() != ScanResult.OutputForm.JOINED && mt + 2 == job.outputIndex()) {
                // the pair would take the input or the output: policy refuses such argv before this
                return Optional.empty();
            }
            target = argv.get(mt + 1);
            argv.subList(mt, mt + 2).clear();
        }
        removeDependencyFile(argv);
        if (!argv.contains("-MD") && !argv.contains("-MMD")) {
            argv.add("-MMD");
        }
        argv.add("-MF");
        argv.add(deps);
        prefixPaths(argv, root);
        return Optional.of(new Rewritten(argv, target));
    }

    /** Removes {@code -MF FILE} and {@code -MFFILE}; the job's own -MF is added after. */
    private static void removeDependencyFile(List<String> argv) {
        for (int i = 1; i < argv.size(); ) {
            String arg = argv.get(i);
            if (arg.equals("-MF")) {
                argv.subList(i, Math.min(i + 2, argv.size())).clear();
            } else if (arg.startsWith("-MF")) {
                argv.remove(i);
            } else {
                i++;
            }
        }
    }

    private static void prefixPaths(List<String> argv, String root) {
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            String option = INCLUDE_OPTIONS.stream().filter(arg::startsWith).findFirst().orElse(null);
            if (option != null) {
                if (arg.equals(option)) {
                    if (i + 1 < argv.size() && argv.get(i + 1).startsWith("/")) {
                        argv.set(i + 1, rooted(root, argv.get(i + 1)));
                    }
                    i++;
                } else if (arg.startsWith("/", option.length())) {
                    argv.set(i, option + rooted(root, arg.substring(option.length())));
                }
                continue;
            }
            for (String map : PREFIX_MAPS) {
                if (arg.startsWith(map) && arg.startsWith("/", map.length())) {
                    argv.set(i, map + root + arg.substring(map.length()));
                }
            }
        }
    }

    /** {@code root} followed by {@code path} without its leading slashes. */
    static String rooted(String root, String path) {
        int i = 0;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return root + "/" + path.substring(i);
    }
}
