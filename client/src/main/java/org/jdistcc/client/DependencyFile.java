package org.jdistcc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code .d} file of a plain-mode job with {@code -MD} or {@code -MMD}. The client's
 * preprocessor writes it (the server never sees these options), but it runs with {@code -E} and
 * without {@code -o}, where gcc would name the file and its target after the source. So the
 * preprocessor is told both explicitly: {@code -MF} a temporary file beside the real one (renamed
 * into place once the object is written, so make never sees a .d without its object), and
 * {@code -MQ <output>} unless the command names a target itself, exactly what gcc's driver adds for
 * a compile with {@code -o}. Pure.
 *
 * @param file the .d file gcc would write: the last {@code -MF}, else the output with its extension
 *             replaced by {@code .d}
 */
record DependencyFile(String file, boolean targetGiven) {

    /** The .d file of {@code argv} (already through {@code -Wp,} expansion), if it writes one. */
    static Optional<DependencyFile> of(List<String> argv, String output) {
        boolean md = false;
        boolean target = false;
        String mf = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-MD") || a.equals("-MMD")) {
                md = true;
            } else if (a.startsWith("-MT") || a.startsWith("-MQ")) {
                target = true;
            } else if (a.equals("-MF") && i + 1 < argv.size()) {
                mf = argv.get(++i);
            } else if (a.startsWith("-MF") && a.length() > 3) {
                mf = a.substring(3);
            }
        }
        if (!md) {
            return Optional.empty();
        }
        return Optional.of(new DependencyFile(mf != null ? mf : replaceExtension(output), target));
    }

    /** {@code cpp} with every -MF removed, then {@code -MF temp} and, without a target, {@code -MQ output}. */
    List<String> preprocessorArguments(List<String> cpp, String temp, String output) {
        List<String> out = new ArrayList<>(cpp.size() + 4);
        for (int i = 0; i < cpp.size(); i++) {
            String a = cpp.get(i);
            if (a.equals("-MF") && i > 0) {
                i++;
            } else if (!(a.startsWith("-MF") && i > 0)) {
                out.add(a);
            }
        }
        out.add("-MF");
        out.add(temp);
        if (!targetGiven) {
            out.add("-MQ");
            out.add(output);
        }
        return out;
    }

    /** {@code dir/name.o} → {@code dir/name.d}; no extension: {@code .d} appended, as gcc does. */
    static String replaceExtension(String output) {
        int slash = output.lastIndexOf('/');
        int dot = output.lastIndexOf('.');
        return (dot > slash + 1 ? output.substring(0, dot) : output) + ".d";
    }
}
