package org.jdistcc.client.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.protocol.Watchdog;
import org.jdistcc.testing.ScriptedDistccServer;
import org.jdistcc.testing.ScriptedDistccServer.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TCP connections to a {@link ScriptedDistccServer} on 127.0.0.1. */
@Timeout(60)
class TcpConnectorTest {
    private static final Request REQUEST = new Request.Plain(ProtocolVersion.V1, List.of("gcc", "-c", "x.c"),
            "int x;\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void requestAndAnswerPassThroughTheConnection() throws IOException {
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(20));
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.compiled(new byte[] {4, 2}));
             Connection c = new TcpConnector(Duration.ofSeconds(4), watchdog).connect("127.0.0.1", server.port())) {
            new RequestWriter(c.out()).write(REQUEST);
            Response r = new ResponseReader(c.in(), Limits.DEFAULT).read(ProtocolVersion.V1);

            assertThat(r.object()).containsExactly(4, 2);
            assertThat(c.peer()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(server.requests()).singleElement().extracting(Request::argv).isEqualTo(REQUEST.argv());
        }
    }

    @Test
    void closedPortIsRefused() {
        int port = ScriptedDistccServer.closedPort();
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(20));
        assertThatThrownBy(() -> new TcpConnector(Duration.ofSeconds(4), watchdog).connect("127.0.0.1", port))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void unknownHostFailsToResolve() {
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(20));
        assertThatThrownBy(() -> new TcpConnector(Duration.ofSeconds(4), watchdog).connect("no-such-host.invalid",
                3632)).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void readFromAStallingServerEndsAtTheIoTimeout() throws IOException {
        Watchdog watchdog = new Watchdog(Duration.ofMillis(300));
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.STALL);
             Connection c = new TcpConnector(Duration.ofSeconds(4), watchdog).connect("127.0.0.1", server.port())) {
            new RequestWriter(c.out()).write(REQUEST);

            assertThatThrownBy(() -> c.in().read()).isInstanceOf(InterruptedIOException.class);
        }
    }

    @Test
    void hugeIoTimeoutMeansVeryLongNotACrash() throws IOException {
        // DISTCC_IO_TIMEOUT=3000000 is 3e9 ms, past an int: it overflowed to a negative socket timeout
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(3_000_000));
        try (ScriptedDistccServer server = ScriptedDistccServer.start(Policy.compiled(new byte[] {1}));
             Connection c = new TcpConnector(Duration.ofSeconds(Integer.MAX_VALUE), watchdog)
                     .connect("127.0.0.1", server.port())) {
            new RequestWriter(c.out()).write(REQUEST);
            assertThat(new ResponseReader(c.in(), Limits.DEFAULT).read(ProtocolVersion.V1).object()).containsExactly(1);
        }
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"1, 1", "0, 1", "4000, 4000", "2147483647, 2147483647", "3000000000, 2147483647"})
    void socketTimeoutsAreClampedToWhatASocketTakes(long millis, int expected) {
        assertThat(TcpConnector.millis(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @Test
    void timeoutsBeyondWhatMillisecondsHoldAreClampedToo() {
        assertThat(TcpConnector.millis(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
    }
}
