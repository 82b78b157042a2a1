package org.jdistcc.client.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One job that could not be distributed and ran locally (or, with {@code DISTCC_FALLBACK=0},
 * failed), as the {@link FallbackLog} keeps it.
 *
 * @param reason one of a few fixed words, for counting: {@link FallbackReason#label}
 * @param why    the whole explanation, as the job's warning line gave it
 */
public record Fallback(Instant time, long pid, String reason, String file, String why) {
    public Fallback {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(why, "why");
    }
}
