package org.jdistcc.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes distcc packets: the 4-letter token, 8 lowercase hex digits, then the body if any. Writes go
 * straight to the given stream; wrap it in a buffer and flush at the end of a message.
 */
public final class PacketWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    public PacketWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes a header with a 32-bit unsigned value. */
    public void header(Token token, long value) throws IOException {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(token + ": value " + value + " does not fit 32 bits");
        }
        byte[] h = new byte[12];
        System.arraycopy(token.ascii(), 0, h, 0, 4);
        for (int i = 11; i >= 4; i--) {
            h[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        out.write(h);
    }

    /** Writes a packet with a raw body. */
    public void body(Token token, byte[] body) throws IOException {
        header(token, body.length);
        out.write(body);
    }

    /** Writes a string packet (ARGV, CDIR, NAME, LINK) as UTF-8 without a terminator. */
    public void string(Token token, String value) throws IOException {
        body(token, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file packet, LZO-compressed when {@code compress}; an empty file is length 0 either way. */
    public void file(Token token, byte[] contents, boolean compress) throws IOException {
        body(token, compress ? Lzo.compress(contents) : contents);
    }

    public void flush() throws IOException {
        out.flush();
    }
}
