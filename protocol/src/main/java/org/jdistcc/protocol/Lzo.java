package org.jdistcc.protocol;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lzo.LzoCompressor;
import io.airlift.compress.lzo.LzoDecompressor;
import java.util.Arrays;

/**
 * distcc's LZO bodies: one headerless LZO1X-1 block per body, as miniLZO's {@code lzo1x_1_compress}
 * writes it, no magic, no length prefix. The codec is aircompressor's, checked against liblzo2 both
 * ways. Two distcc rules live here: an empty body is never compressed (length 0, no bytes), and
 * liblzo2's 3-byte encoding of the empty input ({@code 11 00 00}, sent by pump clients for empty
 * headers) decodes to nothing.
 */
public final class Lzo {
    private static final byte[] EMPTY_STREAM = {0x11, 0x00, 0x00};

    /**
     * The most an LZO1X stream can expand: every instruction writes fewer than 255 bytes per byte it
     * reads (the longest, a match with length-extension bytes, adds 255 bytes of output for each zero
     * extension byte and costs three bytes more besides). LZO1X-1 on zeros reaches 254.99.
     */
    private static final long MAX_EXPANSION = 256;

    private Lzo() {
    }

    /** Compresses {@code data}; the empty array stays empty, as distcc sends it. */
    public static byte[] compress(byte[] data) {
        if (data.length == 0) {
            return data;
        }
        LzoCompressor compressor = new LzoCompressor();
        byte[] out = new byte[compressor.maxCompressedLength(data.length)];
        int n = compressor.compress(data, 0, data.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    /**
     * Decompresses one body. The output buffer starts at 8 times the input, as distcc's does, and
     * doubles while the codec reports it too small, up to {@code maxOutput}; aircompressor reports a
     * small buffer and corrupt input with the same exception, so past the cap both are corrupt input.
     *
     * @param token the token the body came with, for the error message
     * @throws ProtocolException if the body is not valid LZO1X or expands beyond {@code maxOutput}
     */
    public static byte[] decompress(byte[] compressed, int maxOutput, Token token) throws ProtocolException {
        return decompress(compressed, maxOutput, token, BodyBudget.UNLIMITED);
    }

    /** As {@link #decompress(byte[], int, Token)}, claiming each output buffer from {@code budget} first. */
    public static byte[] decompress(byte[] compressed, int maxOutput, Token token, BodyBudget budget)
            throws ProtocolException {
        if (compressed.length == 0 || Arrays.equals(compressed, EMPTY_STREAM)) {
            return new byte[0];
        }
        LzoDecompressor decompressor = new LzoDecompressor();
        // No valid body expands further than MAX_EXPANSION, so a corrupt one stops growing there and
        // not at maxOutput: a few bytes of garbage must not cost hundreds of MiB of buffers.
        long cap = Math.min(maxOutput, MAX_EXPANSION * compressed.length);
        long size = Math.min(Math.max(8L * compressed.length, 4096), cap);
        long claimed = 0;
        while (true) {
            budget.claim(token, size - claimed);
            claimed = size;
            byte[] out = new byte[(int) size];
            try {
                int n = decompressor.decompress(compressed, 0, compressed.length, out, 0, out.length);
                return n == out.length ? out : Arrays.copyOf(out, n);
            } catch (MalformedInputException | IndexOutOfBoundsException e) {
                if (size >= cap) {
                    throw new ProtocolException(token + ": " + compressed.length
                            + "-byte LZO body is corrupt or expands beyond " + maxOutput + " bytes", e);
                }
                size = Math.min(size * 2, cap);
            }
        }
    }
}
