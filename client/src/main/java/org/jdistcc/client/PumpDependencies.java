package org.jdistcc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code .d} file of a pump-mode job (reference §2.8). The server always writes one and returns
 * it; the client keeps it when the command asks for it ({@code -MD}, {@code -MMD}, or
 * {@code DEPENDENCIES_OUTPUT} in the environment, which the server never sees) and writes it where
 * gcc would: {@code -MF}, else the first word of {@code DEPENDENCIES_OUTPUT}, else the output with
 * {@code .d} for its extension. Without {@code -MT} or {@code -MQ} the request gets
 * {@code -MT <target>} (the second word of {@code DEPENDENCIES_OUTPUT}, else the output name), since
 * the server names its own temporary object otherwise. Pure.
 *
 * @param file   where the .d goes, relative to the working directory or absolute
 * @param target the target to add to the request, or null if the command names one
 */
record PumpDependencies(String file, String target) {

    /** The .d of {@code argv} (the scanned command), if it asks for one. */
    static Optional<PumpDependencies> of(List<String> argv, String output, boolean outputExplicit,
                                         Map<String, String> env) {
        Optional<DependencyFile> md = DependencyFile.of(argv, output, outputExplicit);
        boolean named = argv.stream().skip(1).anyMatch(a -> a.startsWith("-MT") || a.startsWith("-MQ"));
        String depsOutput = env.get("DEPENDENCIES_OUTPUT");
        if (md.isPresent()) {
            return Optional.of(new PumpDependencies(md.get().file(), named ? null : output));
        }
        if (depsOutput == null || depsOutput.isBlank()) {
            return Optional.empty();
        }
        String[] words = depsOutput.strip().split(" +", 2);
        String target = words.length > 1 ? words[1] : output;
        return Optional.of(new PumpDependencies(words[0], named ? null : target));
    }

    /** {@code argv} with {@code -MT target} appended when needed. */
    List<String> requestArguments(List<String> argv) {
        if (target == null) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv);
        out.add("-MT");
        out.add(target);
        return out;
    }
}
