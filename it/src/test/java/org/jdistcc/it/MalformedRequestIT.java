package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jdistcc.it.support.HeapWatch;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.RawConnection;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken requests over raw sockets. Each connection is closed by the server with nothing
 * sent back and a log line naming the client, no temp file is left, announced lengths cost no memory,
 * and the server serves a valid job afterwards.
 */
class MalformedRequestIT {
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(30);
    /** Generous: the announced lengths here go up to 4 GiB. */
    private static final long HEAP_BOUND = 64L << 20;
    private static final byte[] TINY_SOURCE = "int main(void) { return 0; }\n".getBytes(StandardCharsets.US_ASCII);

    private Scratch scratch;
    private InProcessDistccd server;
    private HeapWatch heap;

    @BeforeEach
    void startServer() {
        scratch = Scratch.create("malformed");
        server = InProcessDistccd.start(scratch.dir("server-tmp"), "--jobs", "2");
        heap = HeapWatch.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
        scratch.close();
    }

    private static Request.Plain validRequest(ProtocolVersion version) {
        return new Request.Plain(version, List.of("gcc", "-c", "tiny.c", "-o", "tiny.o"), TINY_SOURCE);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void requestTruncatedAtEveryBytePositionIsDroppedWithALoggedReason(ProtocolVersion version) throws IOException {
        byte[] valid = RawConnection.encode(validRequest(version));

        for (int cut = 0; cut < valid.length; cut++) {
            byte[] prefix = Arrays.copyOf(valid, cut);
            assertDroppedWithLoggedReason("cut at byte " + cut + " of " + valid.length, prefix, true);
        }

        assertServerStillHealthy(version);
    }

    static Stream<Arguments> malformedRequests() {
        String argv = "ARGC00000005ARGV00000003gccARGV00000002-cARGV00000006tiny.cARGV00000002-oARGV00000006tiny.o";
        return Stream.of(
                Arguments.of("ARGC before DIST", "ARGC00000005DIST00000001"),
                Arguments.of("DOTI before ARGC", "DIST00000001DOTI00000005hello"),
                Arguments.of("ARGV where DOTI belongs", "DIST00000001" + argv + "ARGV00000001x"),
                Arguments.of("non-hex digit in DIST", "DIST0000000g"),
                Arguments.of("sign in ARGC", "DIST00000001ARGC-0000001"),
                Arguments.of("DIST 4", "DIST00000004"),
                Arguments.of("DIST 0", "DIST00000000"),
                Arguments.of("ARGC 0xffffffff", "DIST00000001ARGCffffffff"),
                Arguments.of("ARGC 0", "DIST00000001ARGC00000000DOTI00000000"),
                Arguments.of("ARGV length 0xffffffff", "DIST00000001ARGC00000001ARGVffffffff"),
                Arguments.of("DOTI length 0xffffffff", "DIST00000001" + argv + "DOTIffffffff"),
                Arguments.of("DOTI length 0xffffffff in protocol 2", "DIST00000002" + argv + "DOTIffffffff"),
                Arguments.of("unknown token", "DIST00000001XXXX00000001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestIsDroppedByTheServerWithALoggedReason(String what, String bytes) throws IOException {
        // the client keeps its end open: the server must notice the error and close by itself
        assertDroppedWithLoggedReason(what, bytes.getBytes(StandardCharsets.US_ASCII), false);

        assertServerStillHealthy(ProtocolVersion.V1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void bodyAnnouncedAtTheLimitButNeverSentCostsNoMemory(ProtocolVersion version) throws IOException {
        byte[] valid = RawConnection.encode(validRequest(version));
        String head = new String(valid, StandardCharsets.US_ASCII);
        int doti = head.lastIndexOf("DOTI");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(valid, 0, doti);
        request.write(String.format("DOTI%08x", Limits.DEFAULT.maxBody()).getBytes(StandardCharsets.US_ASCII));
        request.write(new byte[4096]);

        assertDroppedWithLoggedReason("DOTI of " + Limits.DEFAULT.maxBody() + " bytes, 4096 sent",
                request.toByteArray(), true);

        assertServerStillHealthy(version);
    }

    private void assertDroppedWithLoggedReason(String what, byte[] bytes, boolean thenEndStream) {
        try (RawConnection c = RawConnection.open(server.port())) {
            c.send(bytes);
            if (thenEndStream) {
                c.finishSending();
            }
            RawConnection.Outcome outcome = c.awaitEnd(CLOSE_BOUND);
            assertThat(outcome.received()).as("%s: reply bytes", what).isEmpty();
            String needle = "bad request from " + c.peerName();
            Poll.until(Duration.ofSeconds(10), () -> !server.logLines(needle).isEmpty(),
                    () -> what + ": no log line containing '" + needle + "' in\n" + server.log());
        }
    }

    /** No temp file left, no memory held or spiked, and a valid job still compiles. */
    private void assertServerStillHealthy(ProtocolVersion version) throws IOException {
        assertThat(Scratch.contents(server.tmpDir())).as("server TMPDIR").isEmpty();
        assertThat(server.reports(JobResult.COMPILE_OK)).isEmpty();

        try (RawConnection c = RawConnection.open(server.port())) {
            c.send(RawConnection.encode(validRequest(version)));
            Response response = new ResponseReader(c.in(), Limits.DEFAULT).read(version);
            assertThat(response.waitStatus()).as(new String(response.stderr(), StandardCharsets.UTF_8)).isZero();
            assertThat(response.object()).startsWith(0x7f, 'E', 'L', 'F');
        }
        server.awaitReport(JobResult.COMPILE_OK, "tiny.c");
        Poll.until(Duration.ofSeconds(10), () -> Scratch.contents(server.tmpDir()).isEmpty(),
                () -> "server TMPDIR not empty after the valid job: " + Scratch.contents(server.tmpDir()));

        assertThat(heap.peakOldGrowth()).as("peak growth of the old generation").isLessThan(HEAP_BOUND);
        assertThat(heap.retainedGrowth()).as("heap retained after a full GC").isLessThan(HEAP_BOUND);
    }
}
