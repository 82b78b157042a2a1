package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LzoTest {

    static Stream<Named<byte[]>> bodies() {
        byte[] random = new byte[70_000];
        new Random(42).nextBytes(random);
        byte[] text = "int main(void) { return 0; }\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Named.of("one byte", new byte[] {'x'}),
                Named.of("three bytes", new byte[] {1, 2, 3}),
                Named.of("64 KiB of zeros", new byte[64 << 10]),
                Named.of("repeated C source", text),
                Named.of("random bytes", random));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void bodyRoundTrips(byte[] body) throws ProtocolException {
        byte[] compressed = Lzo.compress(body);

        assertThat(Lzo.decompress(compressed, 1 << 20, Token.DOTI)).isEqualTo(body);
    }

    @Test
    void emptyBodyIsNotCompressed() {
        assertThat(Lzo.compress(new byte[0])).isEmpty();
    }

    @Test
    void emptyBodyDecompressesToEmpty() throws ProtocolException {
        assertThat(Lzo.decompress(new byte[0], 10, Token.DOTO)).isEmpty();
    }

    @Test
    void liblzoEncodingOfTheEmptyInputDecompressesToEmpty() throws ProtocolException {
        assertThat(Lzo.decompress(new byte[] {0x11, 0x00, 0x00}, 10, Token.FILE)).isEmpty();
    }

    @Test
    void compressedOutputEndsWithTheLzoEndMarker() {
        byte[] compressed = Lzo.compress("hello hello hello".getBytes(StandardCharsets.US_ASCII));

        assertThat(Arrays.copyOfRange(compressed, compressed.length - 3, compressed.length))
                .containsExactly(0x11, 0x00, 0x00);
    }

    static Stream<Named<byte[]>> corruptBodies() {
        byte[] valid = Lzo.compress("hello hello hello hello world".getBytes(StandardCharsets.US_ASCII));
        return Stream.of(
                Named.of("garbage", new byte[] {0x00, (byte) 0xff, (byte) 0xff, 1, 2}),
                Named.of("a valid stream without its end marker", Arrays.copyOf(valid, valid.length - 3)),
                Named.of("a valid stream cut in the middle", Arrays.copyOf(valid, valid.length / 2)),
                Named.of("a lone end marker's first byte", new byte[] {0x11}),
                Named.of("a match reaching before the start", new byte[] {0x00, 0x00, 0x00, 0x11, 0x00, 0x00}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptBodies")
    void corruptBodyIsAProtocolErrorNamingTheToken(byte[] body) {
        assertThatThrownBy(() -> Lzo.decompress(body, 1 << 20, Token.SERR))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("SERR");
    }

    @Test
    void bodyExpandingBeyondTheLimitIsAProtocolError() {
        byte[] compressed = Lzo.compress(new byte[10_001]);

        assertThatThrownBy(() -> Lzo.decompress(compressed, 10_000, Token.DOTO))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("DOTO")
                .hasMessageContaining("10000");
    }

    @Test
    void bodyExpandingExactlyToTheLimitIsAccepted() throws ProtocolException {
        byte[] compressed = Lzo.compress(new byte[10_000]);

        assertThat(Lzo.decompress(compressed, 10_000, Token.DOTO)).hasSize(10_000);
    }

    @Test
    void maximallyExpandingBodyIsAccepted() throws ProtocolException {
        // A run of zeros is LZO1X's best case, about 255 to 1: the decoder's buffer must reach that.
        byte[] zeros = new byte[8 << 20];
        byte[] compressed = Lzo.compress(zeros);

        assertThat((double) zeros.length / compressed.length).isGreaterThan(254);
        assertThat(Lzo.decompress(compressed, Integer.MAX_VALUE, Token.DOTO)).isEqualTo(zeros);
    }

    /**
     * Pins a fix: the buffer used to double up to the limit before a corrupt body was given up on,
     * so five bytes of garbage cost 512 MiB of buffers under the default limits, and with a 2 GiB
     * limit an OutOfMemoryError instead of a ProtocolException.
     */
    @Test
    void corruptBodyFailsWithoutGrowingTheBufferToTheLimit() {
        byte[] garbage = {0x00, (byte) 0xff, (byte) 0xff, 1, 2};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());

        assertThatThrownBy(() -> Lzo.decompress(garbage, Integer.MAX_VALUE, Token.DOTI))
                .isExactlyInstanceOf(ProtocolException.class);
        assertThat(threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before).isLessThan(1 << 20);
    }
}
