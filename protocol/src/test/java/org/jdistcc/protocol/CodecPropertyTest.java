package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jdistcc.protocol.Samples.Feed;

/**
 * Whatever arrives, a reader either returns a message or throws one of the two documented
 * exceptions: never another exception, never a hang, never more memory than the (small) limits
 * allow. And whatever we can represent, we read back as we wrote it.
 */
class CodecPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "codec-property-worker");
        t.setDaemon(true);
        return t;
    });

    @Property(tries = 2000)
    void anyBytesAreARequestOrADocumentedFailure(@ForAll("noise") byte[] bytes, @ForAll Feed feed) {
        assertParsesOrFailsAsDocumented(() -> new RequestReader(feed.open(bytes), Samples.SMALL).read());
    }

    @Property(tries = 2000)
    void anyBytesAreAResponseOrADocumentedFailure(@ForAll("noise") byte[] bytes, @ForAll ProtocolVersion version,
                                                  @ForAll Feed feed) {
        assertParsesOrFailsAsDocumented(() -> new ResponseReader(feed.open(bytes), Samples.SMALL).read(version));
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void damagedRequestIsARequestOrADocumentedFailure(@ForAll("requests") Request request,
                                                      @ForAll("damage") List<Tuple.Tuple2<Integer, Byte>> damage,
                                                      @ForAll Feed feed) {
        byte[] bytes = damaged(Samples.encode(request), damage);
        assertParsesOrFailsAsDocumented(() -> new RequestReader(feed.open(bytes), Samples.SMALL).read());
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void damagedResponseIsAResponseOrADocumentedFailure(@ForAll("responses") Response response,
                                                        @ForAll("damage") List<Tuple.Tuple2<Integer, Byte>> damage,
                                                        @ForAll Feed feed) {
        byte[] bytes = damaged(Samples.encode(response), damage);
        assertParsesOrFailsAsDocumented(
                () -> new ResponseReader(feed.open(bytes), Samples.SMALL).read(response.version()));
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void anyRequestRoundTrips(@ForAll("requests") Request request, @ForAll Feed feed) throws IOException {
        byte[] bytes = Samples.encode(request);

        Request back = new RequestReader(feed.open(bytes), Samples.SMALL).read();

        assertThat(back).usingRecursiveComparison().isEqualTo(request);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void anyResponseRoundTrips(@ForAll("responses") Response response, @ForAll Feed feed) throws IOException {
        byte[] bytes = Samples.encode(response);

        Response back = new ResponseReader(feed.open(bytes), Samples.SMALL).read(response.version());

        assertThat(back).usingRecursiveComparison().isEqualTo(response);
    }

    @Property(tries = 500)
    void anyBodyRoundTripsThroughLzo(@ForAll("bodies") byte[] body) throws ProtocolException {
        assertThat(Lzo.decompress(Lzo.compress(body), Samples.SMALL.maxBody(), Token.DOTO)).isEqualTo(body);
    }

    @Property(tries = 2000)
    void anyBytesDecompressOrFailAsAProtocolError(@ForAll("noise") byte[] body) {
        assertParsesOrFailsAsDocumented(() -> Lzo.decompress(body, Samples.SMALL.maxBody(), Token.FILE));
    }

    private interface Read {
        Object run() throws IOException;
    }

    /**
     * Runs {@code read} on a worker thread, so that a reader that loops forever fails the property
     * instead of hanging the build; one thread for all tries keeps that cheap.
     */
    private static void assertParsesOrFailsAsDocumented(Read read) {
        Future<Object> result = WORKER.submit(read::run);
        try {
            assertThat(result.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("the reader did not return within " + PATIENCE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof ProtocolException) && !(cause instanceof TruncatedException)) {
                throw new AssertionError("undocumented failure: " + cause, cause);
            }
            assertThat(cause.getMessage()).isNotBlank();
        }
    }

    private static byte[] damaged(byte[] bytes, List<Tuple.Tuple2<Integer, Byte>> damage) {
        byte[] out = bytes.clone();
        for (Tuple.Tuple2<Integer, Byte> d : damage) {
            int at = Math.floorMod(d.get1(), out.length + 1);
            switch (Math.floorMod(d.get2(), 4)) {
                case 0 -> out = Arrays.copyOf(out, at);                         // cut
                case 1 -> { if (at < out.length) out[at] = d.get2(); }         // overwrite
                case 2 -> { if (at < out.length) out[at] ^= (byte) (1 << (d.get2() & 7)); } // flip a bit
                default -> {                                                   // insert
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = d.get2();
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        // Mostly header-shaped: tokens and hex digits, so the readers get past the first header.
        Arbitrary<byte[]> headerish = Arbitraries.of("DIST", "CDIR", "ARGC", "ARGV", "DOTI", "NFIL", "NAME", "FILE",
                        "LINK", "DONE", "STAT", "SERR", "SOUT", "DOTO", "DOTD", "0000000", "00000001", "00000002",
                        "00000003", "0000000f", "000000ff", "ffffffff", "7fffffff", "/", "gcc", "\0", "\u0011\0\0")
                .list().ofMaxSize(40)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.ISO_8859_1));
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, headerish));
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> damage() {
        return Combinators.combine(Arbitraries.integers().between(0, 100_000), Arbitraries.bytes())
                .as(Tuple::of).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        Arbitrary<byte[]> repetitive = Combinators.combine(
                        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(12),
                        Arbitraries.integers().between(1, 400))
                .as((s, n) -> s.repeat(n).getBytes(StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(random, repetitive, Arbitraries.just(new byte[0]));
    }

    private Arbitrary<String> text() {
        // No NUL (the protocol cannot carry it) and no lone surrogates (UTF-8 cannot).
        return Arbitraries.strings().withCharRange('\u0001', '\u007f').withCharRange('\u00a0', '\u2fff')
                .ofMaxLength(30);
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<List<String>> argv = Combinators.combine(text().filter(s -> !s.isEmpty()), text().list().ofMaxSize(8))
                .as((compiler, rest) -> {
                    List<String> all = new ArrayList<>();
                    all.add(compiler);
                    all.addAll(rest);
                    return all;
                });
        Arbitrary<Request> plain = Combinators.combine(Arbitraries.of(ProtocolVersion.V1, ProtocolVersion.V2), argv, bodies())
                .as(Request.Plain::new);
        Arbitrary<IncludedFile> file = Arbitraries.oneOf(
                Combinators.combine(text(), bodies()).as(IncludedFile.Contents::new),
                Combinators.combine(text(), text()).as(IncludedFile.Link::new));
        Arbitrary<Request> pump = Combinators.combine(text(), argv, file.list().ofMaxSize(5)).as(Request.Pump::new);
        return Arbitraries.oneOf(plain, pump);
    }

    @Provide
    Arbitrary<Response> responses() {
        Arbitrary<Integer> status = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, Integer.MAX_VALUE));
        return Combinators.combine(Arbitraries.of(ProtocolVersion.class), status, bodies(), bodies(), bodies(), bodies())
                .as((version, st, err, out, obj, deps) -> new Response(version, st, err, out,
                        st == 0 ? obj : new byte[0],
                        st == 0 && version.serverPreprocesses() ? deps : null));
    }
}
