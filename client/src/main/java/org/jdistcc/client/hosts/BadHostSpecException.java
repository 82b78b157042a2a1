package org.jdistcc.client.hosts;

import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Printable;

/**
 * The host list is invalid or names no hosts. Any error invalidates the whole list, as in distcc;
 * it maps to {@link ExitCode#BAD_HOSTSPEC} (106), and during a compile it means "no hosts", so a
 * local fallback. The message names the offending word, made printable and cut short, so a hostile
 * or binary list cannot forge or flood log lines.
 */
public final class BadHostSpecException extends Exception {
    /** Longer words are cut here in messages and marked with {@code ...}. */
    static final int MAX_QUOTED_CHARS = 120;

    public BadHostSpecException(String message) {
        super(message);
    }

    /** {@code bad host specification "WORD": REASON}. */
    static BadHostSpecException badWord(String word, String reason) {
        return new BadHostSpecException("bad host specification " + quote(word) + ": " + reason);
    }

    /** Always {@link ExitCode#BAD_HOSTSPEC}. */
    public ExitCode exitCode() {
        return ExitCode.BAD_HOSTSPEC;
    }

    /** {@code text} quoted for a message: printable ASCII, cut after {@link #MAX_QUOTED_CHARS} characters. */
    static String quote(String text) {
        return Printable.quoted(text, MAX_QUOTED_CHARS);
    }
}
