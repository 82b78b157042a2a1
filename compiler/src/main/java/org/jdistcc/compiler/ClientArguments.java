package org.jdistcc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The client's rewrites of a compiler command in plain mode: {@code -Wp,} expansion before the scan
 * ({@code dcc_expand_preprocessor_options}), the local cpp command ({@code dcc_strip_dasho} plus
 * {@code dcc_set_action_opt}), and the argv sent to a protocol 1 or 2 server with the
 * preprocessor-only options stripped ({@code dcc_strip_local_args}).
 *
 * <p>All three are pure and total: they return a new list and never throw for any list of strings.
 * Callers keep the order distcc uses: expand {@code -Wp,} first, scan the expanded argv, then build
 * the cpp command and the server argv from the scanned one.
 */
public final class ClientArguments {

    /** Preprocessor and linker options removed together with the argument after them. */
    private static final Set<String> STRIP_WITH_VALUE = Set.of(
            "-D", "-I", "-U", "-L", "-l", "-MF", "-MT", "-MQ", "-include", "-imacros", "-iprefix",
            "-iwithprefix", "-isystem", "-iwithprefixbefore", "-idirafter");

    /** Prefixes of options removed as one word, such as {@code -DNDEBUG}. */
    private static final List<String> STRIP_PREFIXES = List.of(
            "-Wp,", "-Wl,", "-D", "-U", "-I", "-l", "-L", "-MF", "-MT", "-MQ", "-isystem",
            "-stdlib");

    /** Options removed on their own. */
    private static final Set<String> STRIP_ALONE =
            Set.of("-undef", "-nostdinc", "-nostdinc++", "-MD", "-MMD", "-MG", "-MP");

    private ClientArguments() {
    }

    /**
     * Replaces every {@code -Wp,a,b,c} with the separate arguments {@code a b c}; the forms
     * {@code -Wp,-MD,FILE} and {@code -Wp,-MMD,FILE} become {@code -MD -MF FILE} and
     * {@code -MMD -MF FILE}. A {@code -MD} or {@code -MMD} that ends the list stays alone, as in
     * distcc (which warns that the file name is missing). Empty items are kept as empty arguments.
     */
    public static List<String> expandPreprocessorOptions(List<String> argv) {
        List<String> expanded = new ArrayList<>(argv.size());
        for (String argument : argv) {
            if (argument.startsWith("-Wp,")) {
                expandWp(argument, expanded);
            } else {
                expanded.add(argument);
            }
        }
        return List.copyOf(expanded);
    }

    private static void expandWp(String argument, List<String> into) {
        String[] items = argument.substring("-Wp,".length()).split(",", -1);
        for (int i = 0; i < items.length; i++) {
            into.add(items[i]);
            boolean dependency = items[i].equals("-MD") || items[i].equals("-MMD");
            if (dependency && i + 1 < items.length) {
                into.add("-MF");
                into.add(items[++i]);
            }
        }
    }

    /**
     * The argv sent to the server in protocol 1 and 2: options that only matter to cpp or the
     * linker are dropped, with their argument where they take one (a dangling one at the end just
     * goes); everything else, {@code -o}, the input and the output included, is kept in order.
     */
    public static List<String> stripLocalOnly(List<String> argv) {
        List<String> kept = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String argument = argv.get(i);
            if (STRIP_WITH_VALUE.contains(argument)) {
                i++;
            } else if (STRIP_ALONE.contains(argument)
                    || STRIP_PREFIXES.stream().anyMatch(argument::startsWith)) {
                continue;
            } else {
                kept.add(argument);
            }
        }
        return List.copyOf(kept);
    }

    /**
     * The local preprocessor command: the argv with {@code -o X} and {@code -oX} removed (cpp then
     * writes to stdout, which the client sends to a temp file) and every {@code -c} and {@code -S}
     * replaced by {@code -E}. Dependency options stay, so the {@code .d} file is written here.
     * A trailing {@code -o} with no value is simply removed.
     */
    public static List<String> preprocessCommand(List<String> argv) {
        List<String> command = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String argument = argv.get(i);
            if (argument.equals("-o")) {
                i++;
            } else if (argument.startsWith("-o")) {
                continue;
            } else if (argument.equals("-c") || argument.equals("-S")) {
                command.add("-E");
            } else {
                command.add(argument);
            }
        }
        return List.copyOf(command);
    }
}
