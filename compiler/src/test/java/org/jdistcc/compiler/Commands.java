package org.jdistcc.compiler;

import java.util.List;

/** Test shorthand: a command line written as one string, split on runs of spaces. */
final class Commands {

    private Commands() {
    }

    static List<String> argv(String command) {
        String trimmed = command.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split(" +"));
    }

    static String line(List<String> argv) {
        return String.join(" ", argv);
    }
}
