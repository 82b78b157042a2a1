package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.jdistcc.protocol.Samples.Feed;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseReaderTest {

    static Stream<Arguments> everyResponseFedEveryWay() {
        return Samples.responses().flatMap(r -> Stream.of(Feed.values()).map(f -> Arguments.of(r, f)));
    }

    private static Response read(byte[] bytes, ProtocolVersion version, Feed feed) throws IOException {
        return new ResponseReader(feed.open(bytes), Samples.SMALL).read(version);
    }

    private static Response read(byte[] bytes, ProtocolVersion version) throws IOException {
        return read(bytes, version, Feed.WHOLE);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("everyResponseFedEveryWay")
    void everyResponseKindRoundTrips(Response response, Feed feed) throws IOException {
        byte[] bytes = Samples.encode(response);

        Response back = read(bytes, response.version(), feed);

        assertThat(back).usingRecursiveComparison().isEqualTo(response);
        assertThat(Samples.encode(back)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("everyResponseFedEveryWay")
    void responseCutAtAnyByteFailsAsTruncation(Response response, Feed feed) {
        byte[] bytes = Samples.encode(response);
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Samples.prefix(bytes, n);
            assertThatThrownBy(() -> read(cut, response.version(), feed))
                    .as("cut after %d of %d bytes", n, bytes.length)
                    .isExactlyInstanceOf(TruncatedException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void failedJobSendsAnEmptyDotoWhateverTheObjectHolds(ProtocolVersion version) throws IOException {
        Response failed = new Response(version, 0x100, Samples.ascii("error\n"), new byte[0], Samples.ascii("junk"), null);

        byte[] bytes = Samples.encode(failed);

        assertThat(bytes).endsWith(Samples.ascii("DOTO00000000"));
        assertThat(read(bytes, version).object()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void onlyPumpSuccessesCarryDotd(ProtocolVersion version) throws IOException {
        byte[] bytes = Samples.encode(new Response(version, 0, new byte[0], new byte[0], Samples.ascii("obj"), null));

        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("DOTD");
        assertThat(read(bytes, version).dependencies()).isNull();
    }

    @Test
    void pumpSuccessWithoutDependenciesSendsAnEmptyDotd() throws IOException {
        byte[] bytes = Samples.encode(new Response(ProtocolVersion.V3, 0, new byte[0], new byte[0], new byte[0], null));

        assertThat(bytes).endsWith(Samples.ascii("DOTD00000000"));
        assertThat(read(bytes, ProtocolVersion.V3).dependencies()).isEmpty();
    }

    @Test
    void v1ResponseHasTheStockServersByteLayout() {
        Response r = new Response(ProtocolVersion.V1, 0x100, Samples.ascii("bad\n"), new byte[0], new byte[0], null);

        assertThat(new String(Samples.encode(r), StandardCharsets.US_ASCII))
                .isEqualTo("DONE00000001STAT00000100SERR00000004bad\nSOUT00000000DOTO00000000");
    }

    @Test
    void waitStatusIsDecodedAsExitCodeOrSignal() {
        Response exited = new Response(ProtocolVersion.V1, 0x100, new byte[0], new byte[0], new byte[0], null);
        Response killed = new Response(ProtocolVersion.V1, 9 | 0x80, new byte[0], new byte[0], new byte[0], null);

        assertThat(exited.exitCode()).isEqualTo(1);
        assertThat(exited.signal()).isZero();
        assertThat(killed.exitCode()).isEqualTo(-1);
        assertThat(killed.signal()).isEqualTo(9);
    }

    @Test
    void emptyResponseIsHowAServerRefusesAndReadsAsTruncation() {
        assertThatThrownBy(() -> read(new byte[0], ProtocolVersion.V1))
                .isExactlyInstanceOf(TruncatedException.class)
                .hasMessageContaining("DONE");
    }

    @Test
    void answerInAnotherVersionIsAProtocolError() {
        byte[] bytes = Samples.encode(new Response(ProtocolVersion.V1, 0, new byte[0], new byte[0], new byte[0], null));

        assertThatThrownBy(() -> read(bytes, ProtocolVersion.V2))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("DONE");
    }

    static Stream<Arguments> derailments() {
        return Stream.of(
                Arguments.of(Named.of("STAT first", new Wire().header("STAT", 0).bytes()), "DONE"),
                Arguments.of(Named.of("SERR before STAT",
                        new Wire().header("DONE", 1).body("SERR", new byte[0]).bytes()), "STAT"),
                Arguments.of(Named.of("SOUT before SERR",
                        new Wire().header("DONE", 1).header("STAT", 0).body("SOUT", new byte[0]).bytes()), "SERR"),
                Arguments.of(Named.of("DOTO before SOUT", new Wire().header("DONE", 1).header("STAT", 0)
                        .body("SERR", new byte[0]).body("DOTO", new byte[0]).bytes()), "SOUT"),
                Arguments.of(Named.of("DOTD where DOTO belongs", new Wire().header("DONE", 1).header("STAT", 0)
                        .body("SERR", new byte[0]).body("SOUT", new byte[0]).body("DOTD", new byte[0]).bytes()), "DOTO"),
                Arguments.of(Named.of("a request where a response belongs", Wire.requestHead(1).bytes()), "DONE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derailments")
    void tokenOutOfOrderIsADerailmentNamingTheExpectedToken(byte[] bytes, String expected) {
        for (Feed feed : Feed.values()) {
            assertThatThrownBy(() -> read(bytes, ProtocolVersion.V1, feed))
                    .isExactlyInstanceOf(ProtocolException.class)
                    .hasMessageContaining("protocol derailment")
                    .hasMessageContaining("expected " + expected);
        }
    }

    @Test
    void pumpSuccessWithoutDotdIsTruncated() {
        byte[] bytes = new Wire().header("DONE", 3).header("STAT", 0).body("SERR", new byte[0])
                .body("SOUT", new byte[0]).body("DOTO", new byte[0]).bytes();

        assertThatThrownBy(() -> read(bytes, ProtocolVersion.V3))
                .isExactlyInstanceOf(TruncatedException.class)
                .hasMessageContaining("DOTD");
    }

    @Test
    void compressedBodyThatExpandsBeyondTheLimitIsAProtocolError() {
        Limits limits = new Limits(4, 100, 100, 4, 4096);
        byte[] big = Lzo.compress(new byte[4097]);
        byte[] bytes = new Wire().header("DONE", 2).header("STAT", 0).body("SERR", big).bytes();

        assertThat(big.length).isLessThan(4096);
        assertThatThrownBy(() -> new ResponseReader(new ByteArrayInputStream(bytes), limits).read(ProtocolVersion.V2))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining("SERR")
                .hasMessageContaining("4096");
    }
}
