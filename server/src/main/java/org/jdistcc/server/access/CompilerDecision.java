package org.jdistcc.server.access;

import java.util.Objects;

/**
 * What a {@link CompilerPolicy} says about the compiler a client asked for: run {@code command}
 * in its place, or refuse the job (distccd logs {@code reason} at critical level and closes the
 * connection with nothing sent).
 */
public sealed interface CompilerDecision {
    /**
     * Run {@code command} as argv[0]: a bare name for the server to find on its PATH, or a full
     * path from {@code DISTCC_CMDLIST}.
     */
    record Allowed(String command) implements CompilerDecision {
        public Allowed {
            Objects.requireNonNull(command, "command");
        }
    }

    /** Refuse the job; {@code reason} is one printable sentence naming the compiler. */
    record Refused(String reason) implements CompilerDecision {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
