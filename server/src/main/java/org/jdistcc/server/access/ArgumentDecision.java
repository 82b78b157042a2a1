package org.jdistcc.server.access;

import java.util.Objects;

/** What the {@link ArgumentPolicy} says about a compiler command line: run it, or refuse the job. */
public sealed interface ArgumentDecision {
    /** No argument is dangerous. */
    record Allowed() implements ArgumentDecision {
    }

    /** Refuse the job; {@code reason} names the first refused argument and why, printable. */
    record Refused(String reason) implements ArgumentDecision {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
