package org.jdistcc.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Hand-built packet streams for tests, including the ones our writers refuse to produce: any 4
 * letters, any 8 characters as the value, bodies that disagree with their length.
 */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A header with the value as 8 lowercase hex digits. */
    Wire header(String token, long value) {
        return raw(token + String.format(Locale.ROOT, "%08x", value));
    }

    /** A header and its body, the length taken from the body. */
    Wire body(String token, byte[] body) {
        header(token, body.length);
        out.writeBytes(body);
        return this;
    }

    Wire string(String token, String value) {
        return body(token, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Characters as they are: a header with a value that is not hex, or a short body. */
    Wire raw(String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    Wire raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** DIST, ARGC and ARGV of a request whose compiler is {@code gcc}. */
    static Wire requestHead(int version) {
        Wire w = new Wire().header("DIST", version);
        if (version == 3) {
            w.string("CDIR", "/src");
        }
        return w.header("ARGC", 1).string("ARGV", "gcc");
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
