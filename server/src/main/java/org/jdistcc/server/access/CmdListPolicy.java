package org.jdistcc.server.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdistcc.protocol.Printable;

/**
 * The {@code DISTCC_CMDLIST} allow-list: a file of compiler paths, one a line. A line's key is
 * its last {@code DISTCC_CMDLIST_NUMWORDS} {@code /}-separated words (default 1, the base name);
 * the client's argv[0] is cut the same way and must equal a key, and the job then runs the full
 * path from the file. So whatever directory the client names, only listed programs run.
 *
 * <p>With fewer slashes than words the whole string is the key, as in distcc: with 2 words,
 * {@code /usr/bin/gcc} has the key {@code bin/gcc} and a bare {@code gcc} does not match it. The
 * first line with a key wins; blank lines are skipped.
 */
public final class CmdListPolicy implements CompilerPolicy {
    /** The environment variable naming the file. */
    public static final String FILE_VARIABLE = "DISTCC_CMDLIST";
    /** The environment variable giving the number of trailing words to compare. */
    public static final String NUMWORDS_VARIABLE = "DISTCC_CMDLIST_NUMWORDS";
    public static final int DEFAULT_NUMWORDS = 1;

    private final List<String> commands;
    private final int numWords;
    private final Map<String, String> commandsByKey;

    private CmdListPolicy(List<String> commands, int numWords, Map<String, String> commandsByKey) {
        this.commands = commands;
        this.numWords = numWords;
        this.commandsByKey = commandsByKey;
    }

    /**
     * A policy over the file's {@code lines}, line terminators already removed.
     *
     * @throws IllegalArgumentException if {@code numWords} is below 1
     */
    public static CmdListPolicy of(List<String> lines, int numWords) {
        if (numWords < 1) {
            throw new IllegalArgumentException(NUMWORDS_VARIABLE + " must be at least 1, not " + numWords);
        }
        List<String> commands = lines.stream().filter(line -> !line.isBlank()).toList();
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String command : commands) {
            String key = key(command, numWords);
            if (!key.isEmpty()) {
                byKey.putIfAbsent(key, command);
            }
        }
        return new CmdListPolicy(commands, numWords, Collections.unmodifiableMap(byKey));
    }

    /**
     * Reads {@code file} as UTF-8, the protocol's encoding for argv.
     *
     * @throws IOException if the file cannot be read (distccd cannot serve jobs then)
     */
    public static CmdListPolicy read(Path file, int numWords) throws IOException {
        return of(Files.readAllLines(file, StandardCharsets.UTF_8), numWords);
    }

    /**
     * Reads {@code DISTCC_CMDLIST_NUMWORDS}: {@link #DEFAULT_NUMWORDS} when unset, otherwise a
     * decimal of at least 1.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static int parseNumWords(String value) {
        if (value == null) {
            return DEFAULT_NUMWORDS;
        }
        int words;
        try {
            words = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            words = 0;
        }
        if (words < 1) {
            throw new IllegalArgumentException(
                    NUMWORDS_VARIABLE + " must be a whole number of at least 1, not '" + Printable.of(value) + "'");
        }
        return words;
    }

    /** The listed commands in file order, blank lines left out. */
    public List<String> commands() {
        return commands;
    }

    public int numWords() {
        return numWords;
    }

    @Override
    public CompilerDecision decide(String argv0) {
        String command = commandsByKey.get(key(argv0, numWords));
        if (command == null) {
            return new CompilerDecision.Refused("lookup of " + Printable.of(argv0) + " in DISTCC_CMDLIST failed");
        }
        return new CompilerDecision.Allowed(command);
    }

    /** The last {@code numWords} {@code /}-separated words of {@code path}, or all of it. */
    static String key(String path, int numWords) {
        int slashes = 0;
        for (int i = path.length() - 1; i >= 0; i--) {
            if (path.charAt(i) == '/' && ++slashes == numWords) {
                return path.substring(i + 1);
            }
        }
        return path;
    }

    @Override
    public String toString() {
        return "CmdListPolicy[numWords=" + numWords + ", commands=" + commands + "]";
    }
}
