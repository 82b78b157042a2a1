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
 * {@code -MQ <output>} when the command has an explicit output and names no target itself, exactly
 * what gcc's driver adds for a compile with {@code -o}. Without {@code -o} gcc adds nothing and the
 * preprocessor's own default target applies, the source's base name with {@code .o}, even for
 * {@code -S}; the preprocessor run here gets the same default. Pure.
 *
 * @param file        the .d file gcc would write: the last {@code -MF}, else the output with its
 *                    extension replaced by {@code .d}
 * @param addTarget   whether the preprocessor must be given {@code -MQ <output>}
 */
record DependencyFile(String file, boolean addTarget) {

    /**
     * The .d file of {@code argv} (already through {@code -Wp,} expansion), if it writes one.
     *
     * @param output         the output file name, explicit or implied
     * @param outputExplicit whether the command named its output with {@code -o}; without it
     *                       gcc's driver adds no target
     */
    static Optional<DependencyFile> of(List<String> argv, String output, boolean outputExplicit) {
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
        return Optional.of(new DependencyFile(mf != null ? mf : replaceExtension(output), !target && outputExplicit));
    }

    /** {@code cpp} with every -MF removed, then {@code -MF temp} and, if {@link #addTarget}, {@code -MQ output}. */
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
        if (addTarget) {
            out.add("-MQ");
            out.add(output);
        }
        return out;
    }

    /**
     * gcc's {@code %.d%*}: everything from the last dot of the file name on is replaced by {@code .d};
     * without a dot {@code .d} is appended. A leading dot counts, so {@code dir/.hidden} becomes
     * {@code dir/.d}, as gcc writes it; a dot in a directory name does not.
     */
    static String replaceExtension(String output) {
        int slash = output.lastIndexOf('/');
        int dot = output.lastIndexOf('.');
        return (dot > slash ? output.substring(0, dot) : output) + ".d";
    }
}
