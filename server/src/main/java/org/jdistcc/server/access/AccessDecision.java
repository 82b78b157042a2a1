package org.jdistcc.server.access;

import java.util.Objects;

/**
 * What the {@link AllowList} says about one client: let it in, naming the mask that matched, or
 * refuse it with the sentence distccd logs. A refused connection is closed with nothing sent.
 */
public sealed interface AccessDecision {
    /** The client is in {@code mask}. */
    record Allowed(CidrMask mask) implements AccessDecision {
        public Allowed {
            Objects.requireNonNull(mask, "mask");
        }
    }

    /** No mask matched; {@code reason} is distcc's log sentence, naming the client's address. */
    record Refused(String reason) implements AccessDecision {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
