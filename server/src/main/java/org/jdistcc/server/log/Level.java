package org.jdistcc.server.log;

import java.util.Locale;
import java.util.Optional;

/** distcc's log levels, most severe first; {@code --log-level} takes their lower-case names. */
public enum Level {
    CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG;

    /** The level named {@code name} (case-insensitive), if there is one. */
    public static Optional<Level> parse(String name) {
        for (Level l : values()) {
            if (l.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** Whether a message at this level is written when the log is set to {@code threshold}. */
    public boolean atLeast(Level threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** The prefix distcc puts before messages of this level, empty for notice and below. */
    String prefix() {
        return ordinal() <= WARNING.ordinal() ? name().toUpperCase(Locale.ROOT) + ": " : "";
    }
}
