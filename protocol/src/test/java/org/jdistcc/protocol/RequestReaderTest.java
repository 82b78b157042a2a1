package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.jdistcc.protocol.Samples.Feed;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestReaderTest {

    static Stream<Arguments> everyRequestFedEveryWay() {
        return Samples.requests().flatMap(r -> Stream.of(Feed.values()).map(f -> Arguments.of(r, f)));
    }

    private static Request read(byte[] bytes, Feed feed) throws IOException {
        return new RequestReader(feed.open(bytes), Samples.SMALL).read();
    }

    private static Request read(byte[] bytes) throws IOException {
        return read(bytes, Feed.WHOLE);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("everyRequestFedEveryWay")
    void everyRequestKindRoundTrips(Request request, Feed feed) throws IOException {
        byte[] bytes = Samples.encode(request);

        Request back = read(bytes, feed);

        assertThat(back).usingRecursiveComparison().isEqualTo(request);
        assertThat(Samples.encode(back)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("everyRequestFedEveryWay")
    void requestCutAtAnyByteFailsAsTruncation(Request request, Feed feed) {
        byte[] bytes = Samples.encode(request);
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Samples.prefix(bytes, n);
            assertThatThrownBy(() -> read(cut, feed))
                    .as("cut after %d of %d bytes", n, bytes.length)
                    .isExactlyInstanceOf(TruncatedException.class);
        }
    }

    @Test
    void emptyStreamFailsAsTruncationNamingDist() {
        assertThatThrownBy(() -> read(new byte[0]))
                .isExactlyInstanceOf(TruncatedException.class)
                .hasMessageContaining("DIST");
    }

    @Test
    void plainRequestHasTheStockClientsByteLayout() throws IOException {
        Request request = new Request.Plain(ProtocolVersion.V1, List.of("x86_64-linux-gnu-gcc", "-c", "hello.c"),
                Samples.ascii("int x;\n"));

        assertThat(new String(Samples.encode(request), StandardCharsets.US_ASCII)).isEqualTo(
                "DIST00000001ARGC00000003ARGV00000014x86_64-linux-gnu-gccARGV00000002-cARGV00000007hello.c"
                        + "DOTI00000007int x;\n");
    }

    @Test
    void pumpRequestPutsCdirBeforeArgvAndNameBeforeEachFile() {
        Request request = new Request.Pump("/s", List.of("cc"), List.of(
                new IncludedFile.Contents("/s/a.h", new byte[0]), new IncludedFile.Link("/s/b.h", "a.h")));

        assertThat(new String(Samples.encode(request), StandardCharsets.US_ASCII)).isEqualTo(
                "DIST00000003CDIR00000002/sARGC00000001ARGV00000002ccNFIL00000002"
                        + "NAME00000006/s/a.hFILE00000000NAME00000006/s/b.hLINK00000003a.h");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 4, 0xffffffffL})
    void unsupportedDistVersionIsAProtocolError(long version) {
        byte[] bytes = new Wire().header("DIST", version).header("ARGC", 1).string("ARGV", "gcc").bytes();

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("DIST")
                .hasMessageContaining(Long.toString(version));
    }

    @Test
    void uppercaseHexIsAccepted() throws IOException {
        byte[] bytes = new Wire().raw("DIST00000001ARGC00000001ARGV0000000A").raw("0123456789")
                .raw("DOTI0000000B").raw("int main;\n\n").bytes();

        Request request = read(bytes);

        assertThat(request.argv()).containsExactly("0123456789");
        assertThat(((Request.Plain) request).source()).hasSize(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000000g", "0000001 ", " 0000001", "+0000001", "-0000001", "0x000001", "0000001\u00e9"})
    void headerValueThatIsNotEightHexDigitsIsAProtocolError(String value) {
        byte[] bytes = new Wire().raw("DIST" + value).bytes();

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("DIST")
                .hasMessageContaining("hex");
    }

    static Stream<Arguments> derailments() {
        return Stream.of(
                Arguments.of(Named.of("ARGV where ARGC belongs",
                        new Wire().header("DIST", 1).string("ARGV", "gcc").bytes()), "ARGC"),
                Arguments.of(Named.of("a response where a request belongs",
                        new Wire().header("DONE", 1).header("STAT", 0).bytes()), "DIST"),
                Arguments.of(Named.of("an unknown token",
                        new Wire().raw("HELO00000001").bytes()), "DIST"),
                Arguments.of(Named.of("lowercase token",
                        new Wire().raw("dist00000001").bytes()), "DIST"),
                Arguments.of(Named.of("DOTI before the last ARGV",
                        new Wire().header("DIST", 1).header("ARGC", 2).string("ARGV", "gcc")
                                .string("DOTI", "int x;").bytes()), "ARGV"),
                Arguments.of(Named.of("v1 with CDIR",
                        new Wire().header("DIST", 1).string("CDIR", "/src").header("ARGC", 1).bytes()), "ARGC"),
                Arguments.of(Named.of("v3 without CDIR",
                        new Wire().header("DIST", 3).header("ARGC", 1).string("ARGV", "gcc").bytes()), "CDIR"),
                Arguments.of(Named.of("v3 with DOTI instead of NFIL",
                        Wire.requestHead(3).string("DOTI", "int x;").bytes()), "NFIL"),
                Arguments.of(Named.of("v3 with FILE before NAME",
                        Wire.requestHead(3).header("NFIL", 1).body("FILE", new byte[0]).bytes()), "NAME"),
                Arguments.of(Named.of("v3 with DOTI after NAME",
                        Wire.requestHead(3).header("NFIL", 1).string("NAME", "/src/a.h")
                                .string("DOTI", "x").bytes()), "FILE or LINK"),
                Arguments.of(Named.of("v2 with FILE instead of DOTI",
                        Wire.requestHead(2).body("FILE", new byte[0]).bytes()), "DOTI"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derailments")
    void tokenOutOfOrderIsADerailmentNamingTheExpectedToken(byte[] bytes, String expected) {
        for (Feed feed : Feed.values()) {
            assertThatThrownBy(() -> read(bytes, feed))
                    .isExactlyInstanceOf(ProtocolException.class)
                    .hasMessageContaining("protocol derailment")
                    .hasMessageContaining("expected " + expected);
        }
    }

    @Test
    void derailmentShowsPrintableContextOfWhatArrived() {
        byte[] bytes = new Wire().header("DIST", 1).raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bytes();

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("expected ARGC")
                .hasMessageContaining("GET / HTTP/");
    }

    @Test
    void argcZeroIsAProtocolError() {
        byte[] bytes = new Wire().header("DIST", 1).header("ARGC", 0).body("DOTI", new byte[0]).bytes();

        assertThatThrownBy(() -> read(bytes)).isExactlyInstanceOf(ProtocolException.class).hasMessageContaining("ARGC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ARGV", "CDIR", "NAME", "LINK"})
    void nulInAStringIsAProtocolError(String token) {
        String bad = "a\0b";
        Wire w = switch (token) {
            case "ARGV" -> new Wire().header("DIST", 1).header("ARGC", 1).string("ARGV", bad);
            case "CDIR" -> new Wire().header("DIST", 3).string("CDIR", bad);
            case "NAME" -> Wire.requestHead(3).header("NFIL", 1).string("NAME", bad);
            default -> Wire.requestHead(3).header("NFIL", 1).string("NAME", "/src/a").string("LINK", bad);
        };

        assertThatThrownBy(() -> read(w.bytes()))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining(token)
                .hasMessageContaining("NUL");
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void emptyDotiIsLengthZeroWithoutABody(ProtocolVersion version) throws IOException {
        byte[] bytes = Samples.encode(new Request.Plain(version, List.of("gcc"), new byte[0]));

        assertThat(bytes).endsWith(Samples.ascii("DOTI00000000"));
        assertThat(((Request.Plain) read(bytes)).source()).isEmpty();
    }

    @Test
    void pumpFileOfTheThreeByteEmptyLzoStreamIsAnEmptyFile() throws IOException {
        byte[] bytes = Wire.requestHead(3).header("NFIL", 2)
                .string("NAME", "/src/a.h").body("FILE", new byte[] {0x11, 0x00, 0x00})
                .string("NAME", "/src/b.h").body("FILE", new byte[0])
                .bytes();

        Request.Pump pump = (Request.Pump) read(bytes);

        assertThat(pump.files()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new IncludedFile.Contents("/src/a.h", new byte[0]),
                new IncludedFile.Contents("/src/b.h", new byte[0]));
    }

    @Test
    void v2DotiOfTheThreeByteEmptyLzoStreamIsAnEmptySource() throws IOException {
        byte[] bytes = Wire.requestHead(2).body("DOTI", new byte[] {0x11, 0x00, 0x00}).bytes();

        assertThat(((Request.Plain) read(bytes)).source()).isEmpty();
    }

    @Test
    void corruptLzoInDotiIsAProtocolErrorNamingDoti() {
        byte[] bytes = Wire.requestHead(2).body("DOTI", new byte[] {0x00, (byte) 0xff, (byte) 0xff, 1, 2}).bytes();

        assertThatThrownBy(() -> read(bytes)).isExactlyInstanceOf(ProtocolException.class).hasMessageContaining("DOTI");
    }

    @Test
    void corruptLzoInAPumpFileIsAProtocolErrorNamingFile() {
        byte[] bytes = Wire.requestHead(3).header("NFIL", 1).string("NAME", "/src/a.h")
                .body("FILE", new byte[] {0x00, (byte) 0xff, (byte) 0xff, 1, 2}).bytes();

        assertThatThrownBy(() -> read(bytes)).isExactlyInstanceOf(ProtocolException.class).hasMessageContaining("FILE");
    }

    @Test
    void v1DotiIsNotDecompressed() throws IOException {
        byte[] lzoLooking = {0x11, 0x00, 0x00};

        Request request = read(Wire.requestHead(1).body("DOTI", lzoLooking).bytes());

        assertThat(((Request.Plain) request).source()).containsExactly(lzoLooking);
    }

    @Test
    void readerStopsAtTheEndOfTheRequest() throws IOException {
        byte[] request = Samples.encode(new Request.Plain(ProtocolVersion.V1, List.of("gcc"), new byte[] {1}));
        byte[] trailing = Samples.ascii("DONE00000001");
        ByteArrayInputStream in = new ByteArrayInputStream(new Wire().raw(request).raw(trailing).bytes());

        new RequestReader(in, Samples.SMALL).read();

        assertThat(in.readAllBytes()).isEqualTo(trailing);
    }
}
