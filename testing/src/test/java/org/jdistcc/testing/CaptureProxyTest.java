package org.jdistcc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaptureProxyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A loopback server that reads a request to its end and answers with the given bytes. */
    private static Thread answering(ServerSocket server, byte[] answer) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().readAllBytes();
                s.getOutputStream().write(answer);
            } catch (IOException ignored) {
                // the test sees it as a missing answer
            }
        });
    }

    @Test
    void recordsBothDirectionsAndPassesTheBytesOn() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CaptureProxy proxy = CaptureProxy.start(server.getLocalPort(), TIMEOUT)) {
            answering(server, ascii("DONE00000001"));
            byte[] seen;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                client.getOutputStream().write(ascii("DIST00000001"));
                client.shutdownOutput();
                seen = client.getInputStream().readAllBytes();
            }

            CaptureProxy.Capture capture = proxy.await(TIMEOUT);

            assertThat(seen).isEqualTo(ascii("DONE00000001"));
            assertThat(capture.request()).isEqualTo(ascii("DIST00000001"));
            assertThat(capture.response()).isEqualTo(ascii("DONE00000001"));
        }
    }

    @Test
    void serverThatClosesWithoutAnsweringGivesAnEmptyResponse() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CaptureProxy proxy = CaptureProxy.start(server.getLocalPort(), TIMEOUT)) {
            answering(server, new byte[0]);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                client.getOutputStream().write(ascii("DIST00000009"));
                client.shutdownOutput();
                InputStream in = client.getInputStream();
                assertThat(in.read()).isEqualTo(-1);
            }

            assertThat(proxy.await(TIMEOUT).response()).isEmpty();
        }
    }

    @Test
    void acceptsOnlyOneConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CaptureProxy proxy = CaptureProxy.start(server.getLocalPort(), TIMEOUT)) {
            answering(server, new byte[0]);
            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                first.shutdownOutput();
                first.getInputStream().readAllBytes();
            }
            proxy.await(TIMEOUT);

            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void noClientWithinTheTimeoutIsAFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CaptureProxy proxy = CaptureProxy.start(server.getLocalPort(), Duration.ofMillis(200))) {
            assertThatThrownBy(() -> proxy.await(TIMEOUT)).isInstanceOf(IOException.class);
        }
    }
}
