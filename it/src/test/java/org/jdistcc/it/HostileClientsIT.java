package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdistcc.it.support.HeapWatch;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.RawConnection;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.protocol.BodyBudget;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolException;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestReader;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.protocol.TruncatedException;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.testing.HostileRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile clients over real sockets on 127.0.0.1 against an in-process distccd with {@code --jobs 2},
 * compiling with the real gcc (as {@code nobody} when the test runs as root: see
 * {@link InProcessDistccd}). Ten thousand generated requests ({@link HostileRequests}, fixed seeds,
 * the LZO bombs left out, every write attack aimed at a canary directory) with
 * {@code DISTCC_IO_TIMEOUT=3}: afterwards the server's TMPDIR and the canary directory are empty,
 * nothing was written elsewhere in the test's directory, /etc/passwd is untouched, the heap has grown
 * less than {@link #HEAP_BOUND}, every log line is printable, and a valid job compiles. Then idle and
 * half-sent connections: beyond {@code --jobs} they hold no job slot, so a valid job compiles while
 * they are all still open; beyond the connection limit (DistccdServer.maxConnections: 256 here) a
 * valid job waits in the listen backlog until the I/O timeout drops stalled connections, and then
 * compiles. No test here measures how long anything took; JUnit's timeouts and bounded waits end a
 * test whose server hangs.
 */
class HostileClientsIT {
    private static final int REQUESTS = Integer.getInteger("jdistcc.hostile.requests", 10_000);
    private static final long SEED = 0x1D1E_C0DEL;
    private static final int SENDERS = 8;
    private static final int JOBS = 2;
    private static final int CONNECTION_LIMIT = org.jdistcc.server.DistccdServer.maxConnections(JOBS);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(3);
    /** An I/O timeout no test here lives to see: stalled connections stay open until the test closes them. */
    private static final Duration NO_IO_TIMEOUT = Duration.ofHours(1);
    /**
     * A backstop for a server that never ends a connection, not a measure of speed: the I/O timeout
     * ends stalled ones long before.
     */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(60);
    /** Requests carry at most a few hundred KiB, and announced lengths cost nothing until sent. */
    private static final long HEAP_BOUND = 64L << 20;
    /** What the client side may spend parsing a request to learn whether it is complete. */
    private static final long PARSE_BUDGET = 16L << 20;
    private static final byte[] TINY_SOURCE = "int main(void) { return 0; }\n".getBytes(StandardCharsets.US_ASCII);

    private Scratch scratch;
    private Path canary;
    private InProcessDistccd server;

    @BeforeEach
    void createScratch() {
        scratch = Scratch.create("hostile");
        canary = scratch.dir("canary");
    }

    private void startServer(Duration ioTimeout) {
        server = InProcessDistccd.start(scratch.dir("server-tmp"), List.of("--jobs", Integer.toString(JOBS)),
                Map.of("DISTCC_IO_TIMEOUT", Long.toString(ioTimeout.toSeconds())));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        scratch.close();
    }

    /** How the server will see a request: whole, cut short, or broken before its end. */
    private enum Shape {
        COMPLETE, TRUNCATED, BROKEN
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void tenThousandHostileRequestsOverSocketsLeaveNoTraceAndAValidJobStillCompiles() throws Exception {
        startServer(IO_TIMEOUT);
        HeapWatch heap = HeapWatch.start();
        FileTime passwd = Files.getLastModifiedTime(Path.of("/etc/passwd"));
        long start = System.nanoTime();
        List<Tally> tallies = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            List<Future<Tally>> futures = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                int share = REQUESTS / SENDERS + (s < REQUESTS % SENDERS ? 1 : 0);
                futures.add(senders.submit(() -> send(sender, share)));
            }
            for (Future<Tally> f : futures) {
                tallies.add(f.get(9, TimeUnit.MINUTES));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Tally total = Tally.sum(tallies);
        System.out.println("HostileClientsIT: " + total.requests + " requests over " + SENDERS
                + " connections at a time in " + elapsed.toMillis() + " ms; shapes " + total.shapes + "; "
                + total.replies + " replies (" + total.compiled + " compiled); "
                + server.reports(JobResult.COMPILE_OK).size() + " COMPILE_OK, "
                + server.reports(JobResult.REJ_BAD_REQ).size() + " REJ_BAD_REQ reports; heap peak old-generation "
                + "growth " + (heap.peakOldGrowth() >> 10) + " KiB, retained " + (heap.retainedGrowth() >> 10)
                + " KiB");

        assertThat(total.requests).isEqualTo(REQUESTS);
        assertThat(total.problems).as("problems").isEmpty();
        server.awaitReports(REQUESTS);
        assertNoTraceLeft(passwd);
        assertThat(heap.peakOldGrowth()).as("peak growth of the old generation").isLessThan(HEAP_BOUND);
        assertThat(heap.retainedGrowth()).as("heap retained after a full GC").isLessThan(HEAP_BOUND);
        assertValidJobCompiles(ProtocolVersion.V2);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void idleAndHalfSentClientsBeyondJobsHoldNoJobSlotAndAValidJobCompilesWhileTheyAreStillOpen()
            throws Exception {
        startServer(NO_IO_TIMEOUT);
        FileTime passwd = Files.getLastModifiedTime(Path.of("/etc/passwd"));
        byte[] valid = RawConnection.encode(validRequest(ProtocolVersion.V1));
        List<RawConnection> stalled = new ArrayList<>();
        try {
            // More silent and half-sent clients than --jobs, fewer than the connection limit.
            for (int i = 0; i < 4 * JOBS; i++) {
                stalled.add(RawConnection.open(server.port()));
            }
            for (int i = 0; i < 4; i++) {
                RawConnection half = RawConnection.open(server.port());
                half.send(java.util.Arrays.copyOf(valid, 12 + 12 + 12 + i * 5));
                stalled.add(half);
            }

            // With no I/O timeout to free anything, a valid job that compiles now got a slot beside them all.
            assertValidJobCompiles(ProtocolVersion.V1);
            server.awaitReport(JobResult.COMPILE_OK, "tiny.c");
            assertThat(server.reports()).as("connections the server has finished, with all %d stalled ones "
                    + "still open", stalled.size()).extracting(JobReport::result).containsExactly(JobResult.COMPILE_OK);

            // Once their clients give up, the server closes each without a reply.
            for (RawConnection c : stalled) {
                c.finishSending();
                assertThat(c.awaitEnd(CLOSE_BOUND).received()).as("reply to a stalled client").isEmpty();
            }
        } finally {
            stalled.forEach(RawConnection::close);
        }
        server.awaitReports(stalled.size() + 1);
        assertThat(server.reports(JobResult.REJ_BAD_REQ)).hasSize(stalled.size());
        assertNoTraceLeft(passwd);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void stalledClientsBeyondTheConnectionLimitAreDroppedByTheIoTimeoutAndAValidJobWaitingBehindThemCompiles()
            throws Exception {
        startServer(IO_TIMEOUT);
        FileTime passwd = Files.getLastModifiedTime(Path.of("/etc/passwd"));
        List<RawConnection> stalled = new ArrayList<>();
        try {
            // More silent clients than the connection limit: the rest wait in the listen backlog, and so
            // does the valid job, until the I/O timeout drops stalled connections and frees their places.
            for (int i = 0; i < 2 * CONNECTION_LIMIT + 4; i++) {
                stalled.add(RawConnection.open(server.port()));
            }
            assertValidJobCompiles(ProtocolVersion.V1);

            for (RawConnection c : stalled) {
                assertThat(c.awaitEnd(CLOSE_BOUND).received()).as("reply to a stalled client").isEmpty();
            }
        } finally {
            stalled.forEach(RawConnection::close);
        }
        server.awaitReports(stalled.size() + 1);
        assertThat(server.reports(JobResult.REJ_BAD_REQ)).hasSize(stalled.size());
        assertThat(server.logLines("bad request from")).hasSize(stalled.size());
        assertNoTraceLeft(passwd);
        assertValidJobCompiles(ProtocolVersion.V2);
    }

    private Tally send(int sender, int count) {
        HostileRequests requests = new HostileRequests(SEED + sender, canary.toString(), false);
        Tally tally = new Tally();
        for (int i = 0; i < count; i++) {
            HostileRequests.Generated g = requests.next();
            Shape shape = shape(g.bytes());
            tally.requests++;
            tally.shapes.merge(shape, 1L, Long::sum);
            try (RawConnection c = RawConnection.open(server.port())) {
                c.send(g.bytes());
                if (shape == Shape.TRUNCATED) {
                    c.finishSending(); // the stream ends here, as when a client dies mid-request
                }
                byte[] reply = c.awaitEnd(CLOSE_BOUND).received();
                if (reply.length > 0) {
                    tally.replies++;
                    checkReply(g, shape, reply, tally);
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                tally.problem(sender, i, g, e.toString());
            }
        }
        return tally;
    }

    private static void checkReply(HostileRequests.Generated g, Shape shape, byte[] reply, Tally tally)
            throws IOException {
        if (shape != Shape.COMPLETE) {
            tally.problem(-1, -1, g, "a reply to a " + shape + " request");
            return;
        }
        ProtocolVersion version = ProtocolVersion.of(Long.parseLong(new String(g.bytes(), 4, 8,
                StandardCharsets.US_ASCII), 16));
        ByteArrayInputStream in = new ByteArrayInputStream(reply);
        Response r;
        try {
            r = new ResponseReader(in, Limits.DEFAULT).read(version);
        } catch (IOException e) {
            tally.problem(-1, -1, g, "malformed reply: " + e);
            return;
        }
        if (in.available() != 0) {
            tally.problem(-1, -1, g, "bytes after the reply");
        } else if (r.waitStatus() == 0) {
            tally.compiled++;
        }
    }

    /** Parses the request as the server will, with a small budget, to learn whether it ends where it should. */
    private static Shape shape(byte[] bytes) {
        BodyBudget budget = new BodyBudget() {
            long used;

            @Override
            public void claim(org.jdistcc.protocol.Token token, long n) throws ProtocolException {
                used += n;
                if (used > PARSE_BUDGET) {
                    throw new ProtocolException("over the test's parse budget");
                }
            }
        };
        try {
            new RequestReader(new ByteArrayInputStream(bytes), Limits.DEFAULT, budget).read();
            return Shape.COMPLETE;
        } catch (TruncatedException e) {
            return Shape.TRUNCATED;
        } catch (IOException | RuntimeException e) {
            return Shape.BROKEN;
        }
    }

    private void assertNoTraceLeft(FileTime passwd) throws IOException {
        Poll.until(Duration.ofSeconds(20), () -> Scratch.contents(server.tmpDir()).isEmpty(),
                () -> "server TMPDIR not empty: " + Scratch.contents(server.tmpDir()));
        assertThat(Scratch.contents(canary)).as("files written where an attack aimed").isEmpty();
        assertThat(Scratch.contents(scratch.root())).as("the test's directory, outside the job directories")
                .containsExactly("canary", "server-tmp");
        assertThat(Files.getLastModifiedTime(Path.of("/etc/passwd"))).isEqualTo(passwd);
        assertThat(Path.of("/etc/passwd.h.gch")).doesNotExist();
        assertThat(server.log().lines()).as("server log lines").allMatch(line -> line.startsWith("distccd[")
                && line.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f));
    }

    private void assertValidJobCompiles(ProtocolVersion version) throws IOException {
        try (RawConnection c = RawConnection.open(server.port())) {
            c.send(RawConnection.encode(validRequest(version)));
            Response r = new ResponseReader(new ByteArrayInputStream(c.awaitEnd(CLOSE_BOUND).received()),
                    Limits.DEFAULT).read(version);
            assertThat(r.waitStatus()).as(new String(r.stderr(), StandardCharsets.UTF_8)).isZero();
            assertThat(r.object()).startsWith(0x7f, 'E', 'L', 'F');
        }
    }

    private static Request.Plain validRequest(ProtocolVersion version) {
        return new Request.Plain(version, List.of("gcc", "-c", "tiny.c", "-o", "tiny.o"), TINY_SOURCE);
    }

    /** What one sender saw. */
    private static final class Tally {
        long requests;
        long replies;
        long compiled;
        final Map<Shape, Long> shapes = new EnumMap<>(Shape.class);
        final List<String> problems = new ArrayList<>();

        void problem(int sender, int index, HostileRequests.Generated g, String what) {
            if (problems.size() < 20) {
                String head = new String(g.bytes(), 0, Math.min(g.bytes().length, 300), StandardCharsets.ISO_8859_1)
                        .replaceAll("[^\\x20-\\x7e]", ".");
                problems.add("sender " + sender + " request " + index + " (" + g.kind() + "): " + what + "\n  " + head);
            }
        }

        static Tally sum(List<Tally> tallies) {
            Tally t = new Tally();
            for (Tally x : tallies) {
                t.requests += x.requests;
                t.replies += x.replies;
                t.compiled += x.compiled;
                x.shapes.forEach((k, v) -> t.shapes.merge(k, v, Long::sum));
                t.problems.addAll(x.problems);
            }
            return t;
        }
    }
}
