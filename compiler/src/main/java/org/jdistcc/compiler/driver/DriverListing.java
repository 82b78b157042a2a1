package org.jdistcc.compiler.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code gcc -###} printed for a command that runs exactly one program: that program's argv,
 * and the variables the driver put in its environment ({@code COLLECT_GCC}, {@code
 * COLLECT_GCC_OPTIONS} and the like, the last value printed before the command). Anything else
 * (no command, two commands, a line that cannot be read back) is no listing.
 *
 * @param command     the program and its arguments, as the driver would pass them
 * @param assignments the driver's own environment variables for it, in the order printed
 */
public record DriverListing(List<String> command, Map<String, String> assignments) {
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Z_][A-Z0-9_]*=.*");

    public DriverListing {
        command = List.copyOf(command);
        assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
    }

    /** Reads the standard error of {@code gcc -### ...}. */
    public static Optional<DriverListing> parse(String stderr) {
        List<String> command = null;
        Map<String, String> assignments = new LinkedHashMap<>();
        for (String line : stderr.split("\n", -1)) {
            if (line.startsWith(" ")) {
                if (command != null) {
                    return Optional.empty();
                }
                Optional<List<String>> words = words(line);
                if (words.isEmpty() || words.get().isEmpty()) {
                    return Optional.empty();
                }
                command = words.get();
            } else if (command == null && ASSIGNMENT.matcher(line).matches()) {
                int eq = line.indexOf('=');
                assignments.remove(line.substring(0, eq));
                assignments.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return command == null ? Optional.empty() : Optional.of(new DriverListing(command, assignments));
    }

    /**
     * A command line as the driver prints it: each word after one space, bare when it is made of
     * letters, digits and {@code _/-.}, else in double quotes with {@code " \ $} escaped by a backslash.
     */
    static Optional<List<String>> words(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            if (line.charAt(i) != ' ') {
                return Optional.empty();
            }
            i++;
            StringBuilder w = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        return Optional.empty();
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= line.length()) {
                            return Optional.empty();
                        }
                        c = line.charAt(i++);
                    }
                    w.append(c);
                }
                if (i < line.length() && line.charAt(i) != ' ') {
                    return Optional.empty();
                }
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    w.append(line.charAt(i++));
                }
                if (w.isEmpty()) {
                    return Optional.empty();
                }
            }
            words.add(w.toString());
        }
        return Optional.of(words);
    }
}
