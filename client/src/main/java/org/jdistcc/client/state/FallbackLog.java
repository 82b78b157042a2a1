package org.jdistcc.client.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recent fallbacks, for the live view: {@code $DISTCC_DIR/state/fallbacks}, one line per
 * fallback, {@code <epoch ms> TAB <pid> TAB <reason> TAB <file> TAB <why>}. Bounded: once the file
 * reaches {@link #ROTATE_BYTES} it becomes {@code fallbacks.1} (replacing the previous one) and a new
 * one starts, so the two never hold much more than twice that. Each line is appended in one write
 * (O_APPEND), so jobs of several processes may share it.
 */
public final class FallbackLog {
    static final String NAME = "fallbacks";
    static final long ROTATE_BYTES = 32 * 1024;
    /** Longest explanation kept; a longer one is cut. */
    static final int MAX_WHY = 400;

    private final Path dir;

    public FallbackLog(Path stateDir) {
        this.dir = stateDir;
    }

    /** The fallback log of {@code distccDir}. */
    public static FallbackLog under(Path distccDir) {
        return new FallbackLog(StateDirectory.under(distccDir).path());
    }

    /** Appends one line. The directory is made when missing, but not {@code DISTCC_DIR} above it. */
    public synchronized void append(Fallback f) throws IOException {
        Path log = dir.resolve(NAME);
        try {
            if (Files.size(log) >= ROTATE_BYTES) {
                Files.move(log, dir.resolve(NAME + ".1"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (NoSuchFileException e) {
            // the first line, or another process rotated it just now
        }
        String why = f.why().length() > MAX_WHY ? f.why().substring(0, MAX_WHY) + "..." : f.why();
        String line = f.time().toEpochMilli() + "\t" + f.pid() + "\t" + field(f.reason()) + "\t" + field(f.file())
                + "\t" + field(why) + "\n";
        try {
            appendLine(log, line);
        } catch (NoSuchFileException e) {
            StateDirectory.makeLeaf(dir);
            appendLine(log, line);
        }
    }

    private static void appendLine(Path log, String line) throws IOException {
        Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String field(String s) {
        return s.replaceAll("[\\t\\r\\n]", " ");
    }

    /** The last {@code n} fallbacks, oldest first; lines that do not parse are skipped. */
    public List<Fallback> recent(int n) throws IOException {
        List<Fallback> all = new ArrayList<>();
        for (String name : List.of(NAME + ".1", NAME)) {
            try {
                for (String line : Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8)) {
                    parse(line).ifPresent(all::add);
                }
            } catch (NoSuchFileException e) {
                // nothing yet
            }
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    static Optional<Fallback> parse(String line) {
        String[] f = line.split("\t", 5);
        if (f.length != 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Fallback(Instant.ofEpochMilli(Long.parseLong(f[0])), Long.parseLong(f[1]), f[2],
                    f[3], f[4]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
