package org.jdistcc.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Hands out the bytes of another stream one at a time: every {@code read} into an array returns at
 * most one byte, {@code available()} says nothing is buffered, and {@code skip} skips at most one
 * byte. A decoder that assumes a read fills its buffer, or that a header arrives in one piece, fails
 * against it; a correct one cannot tell it from any other stream. This is how a slow TCP peer, or one
 * that sends a packet a byte per segment, looks to the code that reads it.
 */
public final class OneByteInputStream extends InputStream {
    private final InputStream in;

    public OneByteInputStream(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /** One byte at a time from an array. */
    public static OneByteInputStream of(byte[] bytes) {
        return new OneByteInputStream(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read() throws IOException {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int c = in.read();
        if (c < 0) {
            return -1;
        }
        b[off] = (byte) c;
        return 1;
    }

    @Override
    public long skip(long n) throws IOException {
        return n <= 0 ? 0 : in.skip(1);
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
