package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.jdistcc.protocol.Samples.Feed;
import org.jdistcc.testing.OneByteInputStream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Headers, lengths and counts: every value read from the stream is bounded before anything is
 * allocated for it, and the error names the token. Readers run with the default limits here, and a
 * stream that announces a huge body but then has only a few bytes.
 */
class PacketReaderTest {
    private static final long MAX = 0xffff_ffffL;
    /** Far below any body the announced lengths would need; exceptions and strings fit easily. */
    private static final long ALLOCATION_BUDGET = 4L << 20;

    private static final byte[] FEW_BYTES = Samples.ascii("abc");

    /** A request whose last header claims {@code value} and is followed by three bytes. */
    static Stream<Arguments> oversizedRequests() {
        return Stream.of(
                oversized("ARGC", new Wire().header("DIST", 1).header("ARGC", MAX)),
                oversized("ARGV", new Wire().header("DIST", 1).header("ARGC", 1).header("ARGV", MAX)),
                oversized("CDIR", new Wire().header("DIST", 3).header("CDIR", MAX)),
                oversized("DOTI", Wire.requestHead(1).header("DOTI", MAX)),
                oversized("DOTI", Wire.requestHead(2).header("DOTI", MAX)),
                oversized("NFIL", Wire.requestHead(3).header("NFIL", MAX)),
                oversized("NAME", Wire.requestHead(3).header("NFIL", 1).header("NAME", MAX)),
                oversized("FILE", Wire.requestHead(3).header("NFIL", 1).string("NAME", "/a").header("FILE", MAX)),
                oversized("LINK", Wire.requestHead(3).header("NFIL", 1).string("NAME", "/a").header("LINK", MAX)));
    }

    static Stream<Arguments> oversizedResponses() {
        Wire head = new Wire().header("DONE", 3).header("STAT", 0);
        return Stream.of(
                oversized("STAT", new Wire().header("DONE", 3).header("STAT", MAX)),
                oversized("SERR", new Wire().raw(head.bytes()).header("SERR", MAX)),
                oversized("SOUT", new Wire().raw(head.bytes()).header("SERR", 0).header("SOUT", MAX)),
                oversized("DOTO", new Wire().raw(head.bytes()).header("SERR", 0).header("SOUT", 0).header("DOTO", MAX)),
                oversized("DOTD", new Wire().raw(head.bytes()).header("SERR", 0).header("SOUT", 0).header("DOTO", 0)
                        .header("DOTD", MAX)));
    }

    private static Arguments oversized(String token, Wire wire) {
        return Arguments.of(Named.of(token + " " + Long.toHexString(MAX), wire.raw(FEW_BYTES).bytes()), token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedRequests")
    void hugeRequestLengthOrCountIsAProtocolErrorNamingTheTokenWithoutAllocating(byte[] bytes, String token) {
        for (Feed feed : Feed.values()) {
            long allocated = allocatedWhile(() -> new RequestReader(feed.open(bytes), Limits.DEFAULT).read());

            assertThat(thrown(() -> new RequestReader(feed.open(bytes), Limits.DEFAULT).read()))
                    .isExactlyInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith(token);
            assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedResponses")
    void hugeResponseLengthIsAProtocolErrorNamingTheTokenWithoutAllocating(byte[] bytes, String token) {
        for (Feed feed : Feed.values()) {
            long allocated = allocatedWhile(() -> new ResponseReader(feed.open(bytes), Limits.DEFAULT).read(ProtocolVersion.V3));

            assertThat(thrown(() -> new ResponseReader(feed.open(bytes), Limits.DEFAULT).read(ProtocolVersion.V3)))
                    .isExactlyInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith(token);
            assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
        }
    }

    @Test
    void allowedButHugeBodyThatNeverArrivesCostsOnlyWhatArrived() {
        Limits generous = new Limits(16, 1 << 20, 1 << 20, 16, Integer.MAX_VALUE);
        byte[] bytes = Wire.requestHead(1).header("DOTI", Integer.MAX_VALUE - 8).raw(FEW_BYTES).bytes();

        long allocated = allocatedWhile(() -> new RequestReader(new ByteArrayInputStream(bytes), generous).read());

        assertThat(thrown(() -> new RequestReader(OneByteInputStream.of(bytes), generous).read()))
                .isExactlyInstanceOf(TruncatedException.class)
                .hasMessageContaining("DOTI");
        assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @Test
    void lengthAtTheLimitIsReadAndOneBeyondIsRefused() throws IOException {
        Limits limits = new Limits(4, 3, 100, 4, 8);
        byte[] atLimit = Wire.requestHead(1).header("DOTI", 8).raw("12345678").bytes();
        byte[] beyond = Wire.requestHead(1).header("DOTI", 9).raw("123456789").bytes();

        assertThat(((Request.Plain) new RequestReader(new ByteArrayInputStream(atLimit), limits).read()).source())
                .hasSize(8);
        assertThatThrownBy(() -> new RequestReader(new ByteArrayInputStream(beyond), limits).read())
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("DOTI")
                .hasMessageContaining("limit");
    }

    @Test
    void argvTotalBeyondTheLimitIsRefusedBeforeTheLastBodyIsRead() {
        Limits limits = new Limits(8, 100, 10, 4, 100);
        byte[] bytes = new Wire().header("DIST", 1).header("ARGC", 3).string("ARGV", "gcc").string("ARGV", "-c")
                .header("ARGV", 6).bytes();

        assertThatThrownBy(() -> new RequestReader(new ByteArrayInputStream(bytes), limits).read())
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("ARGV")
                .hasMessageContaining("10 bytes");
    }

    @Test
    void argcBeyondTheLimitIsRefused() {
        Limits limits = new Limits(2, 100, 100, 4, 100);
        byte[] bytes = new Wire().header("DIST", 1).header("ARGC", 3).bytes();

        assertThatThrownBy(() -> new RequestReader(new ByteArrayInputStream(bytes), limits).read())
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("ARGC");
    }

    @Test
    void headerCutShortIsTruncationNamingWhatWasExpected() {
        PacketReader reader = new PacketReader(new ByteArrayInputStream(Samples.ascii("STAT0000")), Samples.SMALL);

        assertThatThrownBy(() -> reader.expect(Token.STAT))
                .isExactlyInstanceOf(TruncatedException.class)
                .hasMessageContaining("STAT")
                .hasMessageContaining("STAT0000");
    }

    @Test
    void everyTokenHeaderReadsBackWithItsValue() throws IOException {
        for (Token token : Token.values()) {
            for (long value : new long[] {0, 1, 0xabcdef, MAX}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new PacketWriter(out).header(token, value);
                PacketReader reader = new PacketReader(OneByteInputStream.of(out.toByteArray()), Samples.SMALL);

                assertThat(reader.readHeader("anything")).isEqualTo(new PacketReader.Header(token, value));
            }
        }
    }

    @Test
    void writerRefusesValuesBeyondThirtyTwoBits() {
        PacketWriter writer = new PacketWriter(OutputStream.nullOutputStream());

        assertThatThrownBy(() -> writer.header(Token.DOTO, MAX + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.header(Token.DOTO, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private interface Read {
        void run() throws IOException;
    }

    private static Throwable thrown(Read read) {
        try {
            read.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("nothing was thrown");
    }

    /** Bytes this thread allocated while {@code read} ran, whatever it threw. */
    private static long allocatedWhile(Read read) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        thrown(read);
        return threads.getThreadAllocatedBytes(id) - before;
    }

}
