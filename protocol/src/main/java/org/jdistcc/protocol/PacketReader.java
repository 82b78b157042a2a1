package org.jdistcc.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads distcc packets from a stream: 12-byte headers, then bodies of the announced length. Every
 * header is checked against the token the caller expects ("protocol derailment" otherwise, with the
 * printable context distcc shows); every length against {@link Limits}. Not thread-safe; one reader
 * per connection.
 */
public final class PacketReader {
    private static final int CONTEXT_BYTES = 200;

    private static final int FIRST_CHUNK = 64 * 1024;

    private final InputStream in;
    private final Limits limits;
    private final BodyBudget budget;

    public PacketReader(InputStream in, Limits limits) {
        this(in, limits, BodyBudget.UNLIMITED);
    }

    public PacketReader(InputStream in, Limits limits, BodyBudget budget) {
        this.in = in;
        this.limits = limits;
        this.budget = budget;
    }

    public Limits limits() {
        return limits;
    }

    /** Reads one header, whatever its token, and returns it. */
    public Header readHeader(String expecting) throws IOException {
        byte[] raw = in.readNBytes(12);
        if (raw.length < 12) {
            throw new TruncatedException("expected " + expecting + ", got " + describeShort(raw));
        }
        Token token = Token.fromAscii(raw);
        if (token == null) {
            throw derailed(expecting, raw);
        }
        long value = 0;
        for (int i = 4; i < 12; i++) {
            int digit = Character.digit(raw[i], 16);
            if (digit < 0) {
                throw new ProtocolException(token + ": value is not 8 hex digits: " + printable(raw, raw.length));
            }
            value = (value << 4) | digit;
        }
        return new Header(token, value);
    }

    /** Reads a header that must carry {@code expected} and returns its 32-bit value. */
    public long expect(Token expected) throws IOException {
        Header h = readHeader(expected.name());
        if (h.token() != expected) {
            byte[] raw = (h.token().name() + String.format("%08x", h.value())).getBytes(StandardCharsets.US_ASCII);
            throw derailed(expected.name(), raw);
        }
        return h.value();
    }

    /** Reads a count packet and checks it against {@code max}. */
    public int expectCount(Token expected, int max) throws IOException {
        long n = expect(expected);
        if (n > max) {
            throw new ProtocolException(expected + ": count " + n + " exceeds the limit of " + max);
        }
        return (int) n;
    }

    /** Reads exactly {@code length} body bytes, refusing lengths beyond {@code max}. */
    public byte[] readBody(Token token, long length, long max) throws IOException {
        if (length > max) {
            throw new ProtocolException(token + ": length " + length + " exceeds the limit of " + max + " bytes");
        }
        // The buffer grows as data arrives, and each growth is claimed from the budget first: an
        // announced length costs nothing until the peer actually sends the bytes.
        int total = (int) length;
        byte[] body = new byte[0];
        int filled = 0;
        while (filled < total) {
            if (filled == body.length) {
                int size = (int) Math.min(total, Math.max(FIRST_CHUNK, 2L * body.length));
                budget.claim(token, size - body.length);
                body = Arrays.copyOf(body, size);
            }
            int n = in.read(body, filled, body.length - filled);
            if (n < 0) {
                throw new TruncatedException(token + ": body truncated after " + filled + " of " + length + " bytes");
            }
            filled += n;
        }
        return body;
    }

    /** Reads a string packet (ARGV, CDIR, NAME, LINK): raw bytes, UTF-8, no NUL. */
    public String readString(Token token) throws IOException {
        return stringBody(token, expect(token));
    }

    /** Reads the body of a string packet whose header was already read. */
    public String stringBody(Token token, long length) throws IOException {
        byte[] body = readBody(token, length, limits.maxArgLength());
        for (byte b : body) {
            if (b == 0) {
                throw new ProtocolException(token + ": string contains a NUL byte: " + printable(body, 60));
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Reads a file packet, decompressing it when the protocol version compresses bodies. */
    public byte[] readFile(Token token, boolean compressed) throws IOException {
        return fileBody(token, expect(token), compressed);
    }

    /** Reads the body of a file packet whose header was already read. */
    public byte[] fileBody(Token token, long length, boolean compressed) throws IOException {
        byte[] body = readBody(token, length, limits.maxBody());
        return compressed ? Lzo.decompress(body, limits.maxBody(), token, budget) : body;
    }

    private ProtocolException derailed(String expecting, byte[] header) {
        byte[] context = new byte[header.length + CONTEXT_BYTES];
        System.arraycopy(header, 0, context, 0, header.length);
        int n = header.length;
        try {
            int more = Math.min(in.available(), CONTEXT_BYTES);
            n += in.readNBytes(context, n, more);
        } catch (IOException ignored) {
            // the context is a courtesy; the derailment is the error
        }
        return new ProtocolException("protocol derailment: expected " + expecting + ", got \"" + printable(context, n) + "\"");
    }

    private static String describeShort(byte[] raw) {
        return raw.length == 0 ? "end of stream" : "end of stream after \"" + printable(raw, raw.length) + "\"";
    }

    /** Up to {@code n} bytes, printable ASCII as is, everything else as a dot, as distcc logs it. */
    static String printable(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n && i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
    }

    /** One packet header. */
    public record Header(Token token, long value) {
    }
}
