package org.jdistcc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.protocol.TruncatedException;
import org.jdistcc.testing.ScriptedDistccServer.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ScriptedDistccServerTest {
    private static final byte[] SOURCE = "int x;\n".getBytes(StandardCharsets.US_ASCII);

    private static Request request(ProtocolVersion version, String input) {
        return new Request.Plain(version, List.of("gcc", "-c", input, "-o", "x.o"), SOURCE);
    }

    private static Socket connect(ScriptedDistccServer server) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(20_000);
        return s;
    }

    /** Sends {@code request} and returns everything the server answered, up to its end of stream. */
    private static byte[] exchange(ScriptedDistccServer server, Request request) throws IOException {
        try (Socket s = connect(server)) {
            new RequestWriter(s.getOutputStream()).write(request);
            return s.getInputStream().readAllBytes();
        }
    }

    @Test
    void answerIsSentInTheVersionOfTheRequest() throws Exception {
        byte[] object = {1, 2, 3, 0, 4};
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.compiled(object, "warning: w\n"))) {
            for (ProtocolVersion v : List.of(ProtocolVersion.V1, ProtocolVersion.V2)) {
                try (Socket s = connect(server)) {
                    new RequestWriter(s.getOutputStream()).write(request(v, "a.c"));
                    Response r = new ResponseReader(s.getInputStream(), Limits.DEFAULT).read(v);
                    assertThat(r.waitStatus()).isZero();
                    assertThat(r.object()).isEqualTo(object);
                    assertThat(new String(r.stderr(), StandardCharsets.UTF_8)).isEqualTo("warning: w\n");
                }
            }
            assertThat(server.requests()).extracting(Request::version)
                    .containsExactly(ProtocolVersion.V1, ProtocolVersion.V2);
            assertThat(server.requests().get(0).argv()).containsExactly("gcc", "-c", "a.c", "-o", "x.o");
        }
    }

    @Test
    void compileErrorCarriesStatusAndStderrAndNoObject() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.compileError(1, "x.c:1: error\n"));
             Socket s = connect(server)) {
            new RequestWriter(s.getOutputStream()).write(request(ProtocolVersion.V1, "x.c"));
            Response r = new ResponseReader(s.getInputStream(), Limits.DEFAULT).read(ProtocolVersion.V1);
            assertThat(r.waitStatus()).isEqualTo(1 << 8);
            assertThat(r.stderr()).asString(StandardCharsets.UTF_8).isEqualTo("x.c:1: error\n");
            assertThat(r.object()).isEmpty();
        }
    }

    @Test
    void closeAtStartEndsTheStreamBeforeReadingAnything() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.CLOSE_AT_START);
             Socket s = connect(server)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(server.requests()).isEmpty();
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void closeMidReplySendsOnlyDoneAndStat() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.CLOSE_MID_REPLY)) {
            byte[] reply = exchange(server, request(ProtocolVersion.V2, "x.c"));

            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("DONE00000002STAT00000000");
            assertThatThrownBy(() -> new ResponseReader(new java.io.ByteArrayInputStream(reply), Limits.DEFAULT)
                    .read(ProtocolVersion.V2)).isInstanceOf(TruncatedException.class);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void wrongTokenSendsADerailedHeader() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.WRONG_TOKEN)) {
            byte[] reply = exchange(server, request(ProtocolVersion.V1, "x.c"));

            assertThat(new String(reply, StandardCharsets.US_ASCII)).startsWith("DONX00000001");
        }
    }

    @Test
    void stallSendsNothingUntilTheClientGoes() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.builder().then(Policy.STALL).start();
             Socket s = connect(server)) {
            new RequestWriter(s.getOutputStream()).write(request(ProtocolVersion.V1, "x.c"));
            s.setSoTimeout(300);
            InputStream in = s.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void stallEndsByItselfAtTheStallLimit() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.builder().then(Policy.STALL)
                .stallLimit(Duration.ofMillis(200)).start();
             Socket s = connect(server)) {
            new RequestWriter(s.getOutputStream()).write(request(ProtocolVersion.V1, "x.c"));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void scriptIsFollowedInOrderAndItsLastPolicyRepeats() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.builder().then(Policy.CLOSE_AT_START)
                .then(Policy.compiled(new byte[] {7})).start()) {
            try (Socket s = connect(server)) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(exchange(server, request(ProtocolVersion.V1, "2.c"))).isNotEmpty();
            assertThat(exchange(server, request(ProtocolVersion.V1, "3.c"))).isNotEmpty();
            assertThat(server.connections()).isEqualTo(3);
            assertThat(server.requests()).extracting(r -> r.argv().get(2)).containsExactly("2.c", "3.c");
        }
    }

    @Test
    void connectionsBeyondTheMaximumAreRefused() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.builder().then(Policy.compiled(new byte[0]))
                .maxConnections(1).start()) {
            exchange(server, request(ProtocolVersion.V1, "x.c"));
            // the listener closes right after the last accept; give it a bounded moment
            boolean refused = false;
            for (int i = 0; i < 100 && !refused; i++) {
                try (Socket s = connect(server)) {
                    Thread.sleep(20);
                } catch (ConnectException e) {
                    refused = true;
                }
            }
            assertThat(refused).isTrue();
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void maxConcurrentCountsConnectionsOpenAtTheSameTime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (ScriptedDistccServer server = ScriptedDistccServer.builder().then(Policy.compiled(new byte[] {1}))
                .jobDelay(Duration.ofMillis(500)).start()) {
            List<Future<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String input = i + ".c";
                Callable<byte[]> job = () -> exchange(server, request(ProtocolVersion.V1, input));
                replies.add(pool.submit(job));
            }
            for (Future<byte[]> f : replies) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isNotEmpty();
            }
            assertThat(server.maxConcurrent()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sequentialConnectionsAreNeverCountedTogether() throws Exception {
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.compiled(new byte[] {1}))) {
            for (int i = 0; i < 20; i++) {
                exchange(server, request(ProtocolVersion.V1, i + ".c"));
            }
            assertThat(server.maxConcurrent()).isEqualTo(1);
        }
    }

    @Test
    void closedPortRefusesConnections() {
        int port = ScriptedDistccServer.closedPort();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }
}
