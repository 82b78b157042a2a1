package org.jdistcc.client.state;

import java.util.Locale;
import org.jdistcc.protocol.ExitCode;

/**
 * Why a job fell back to a local compile, in a few words that can label a counter: the last host's
 * failure (named for distcc's exit code, as {@code connect_failed} or {@code truncated}), or why no
 * host could be tried at all.
 */
public enum FallbackReason {
    /** No host list was set, or it could not be parsed. */
    NO_HOST_LIST,
    /** Every host is down, backed off, or has no slots. */
    NO_HOST_AVAILABLE,
    /** Every host slot stayed busy for DISTCC_IO_TIMEOUT. */
    SLOTS_BUSY,
    /** The lock directory could not be used. */
    LOCK_DIRECTORY,
    /** A file on this machine failed (temporary file, output). */
    LOCAL_IO_ERROR,
    CONNECT_FAILED,
    IO_ERROR,
    TRUNCATED,
    PROTOCOL_ERROR,
    TIMEOUT,
    /** Another distribution failure. */
    OTHER;

    /** The label: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason for a host that failed with distcc's exit code {@code code}. */
    public static FallbackReason of(ExitCode code) {
        return switch (code) {
            case CONNECT_FAILED -> CONNECT_FAILED;
            case IO_ERROR -> IO_ERROR;
            case TRUNCATED -> TRUNCATED;
            case PROTOCOL_ERROR -> PROTOCOL_ERROR;
            case TIMEOUT -> TIMEOUT;
            default -> OTHER;
        };
    }
}
