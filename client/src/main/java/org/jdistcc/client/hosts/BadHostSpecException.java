package org.jdistcc.client.hosts;

import org.jdistcc.protocol.ExitCode;

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

    /**
     * {@code text} in double quotes, with backslash and quote escaped and everything outside
     * printable ASCII as {@code \xNN} or {@code \}{@code uNNNN}, cut after
     * {@link #MAX_QUOTED_CHARS} characters.
     */
    static String quote(String text) {
        int end = Math.min(text.length(), MAX_QUOTED_CHARS);
        StringBuilder out = new StringBuilder(end + 8).append('"');
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > end) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
