package org.jdistcc.protocol;

/**
 * Renders text that came from a client or the command line for a log line or an error message.
 * The rule: the result is printable ASCII and at most about {@link #MAX_CHARS} characters, so a
 * hostile compiler name or argument can neither forge log lines nor flood them.
 */
public final class Printable {
    /** Longer input is cut here and marked with {@code ...}. */
    public static final int MAX_CHARS = 200;

    private Printable() {
    }

    /**
     * Returns {@code text} with backslashes doubled and every character outside printable ASCII as
     * {@code \xNN} (up to 0xff) or as a backslash, {@code u} and four hex digits, cut after
     * {@link #MAX_CHARS} input characters.
     */
    public static String of(String text) {
        return escape(text, MAX_CHARS, false);
    }

    /** As {@link #of}, in double quotes with inner quotes escaped, cut after {@code max} characters. */
    public static String quoted(String text, int max) {
        return '"' + escape(text, max, true) + '"';
    }

    private static String escape(String text, int max, boolean quotes) {
        int end = Math.min(text.length(), max);
        StringBuilder out = new StringBuilder(end + 8);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\' || (quotes && c == '"')) {
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
        return out.toString();
    }

    /** True if {@code text} holds a NUL, another C0 control character or DEL. */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
