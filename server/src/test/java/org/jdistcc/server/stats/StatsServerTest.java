package org.jdistcc.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jdistcc.server.access.AllowList;
import org.jdistcc.server.access.CidrMask;
import org.jdistcc.server.log.Log;
import org.junit.jupiter.api.Test;

class StatsServerTest {
    private static final String PAGE = StatsPageTest.SAMPLE.render();

    private static StatsServer start(String allow) throws IOException {
        return StatsServer.start(InetAddress.getLoopbackAddress(), 0, AllowList.of(List.of(CidrMask.parse(allow))),
                () -> PAGE, () -> "m 1\n", Duration.ofMillis(300), Log.discard());
    }

    /** Connects from {@code from}, sends {@code request}, reads until the server closes. */
    private static String exchange(StatsServer server, String from, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClientThatSendsNothingGetsTheStockPageAsFromDistccd() throws IOException {
        try (StatsServer server = start("127.0.0.1")) {
            assertThat(exchange(server, "127.0.0.1", "")).isEqualTo(PAGE);
        }
    }

    @Test
    void anyRequestButGetMetricsGetsTheStockPage() throws IOException {
        try (StatsServer server = start("127.0.0.1")) {
            assertThat(exchange(server, "127.0.0.1", "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(PAGE);
            assertThat(exchange(server, "127.0.0.1", "garbage\n")).isEqualTo(PAGE);
            assertThat(exchange(server, "127.0.0.1", "x".repeat(5000))).isEqualTo(PAGE);
        }
    }

    @Test
    void getMetricsGetsThePrometheusTextWithItsContentType() throws IOException {
        try (StatsServer server = start("127.0.0.1")) {
            String reply = exchange(server, "127.0.0.1", "GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(reply).startsWith("HTTP/1.0 200 OK\r\n")
                    .contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", "Content-Length: 4\r\n")
                    .endsWith("\r\n\r\nm 1\n");
        }
    }

    @Test
    void aClientOutsideTheAllowListIsClosedWithoutAByteAsByDistccd() throws IOException {
        try (StatsServer server = start("127.0.0.2")) {
            assertThat(exchange(server, "127.0.0.1", "GET /metrics HTTP/1.0\r\n\r\n")).isEmpty();
            assertThat(exchange(server, "127.0.0.2", "")).isEqualTo(PAGE);
        }
    }

    @Test
    void requestLinesAskingForMetrics() {
        assertThat(StatsServer.wantsMetrics("GET /metrics HTTP/1.1")).isTrue();
        assertThat(StatsServer.wantsMetrics("GET /metrics")).isTrue();
        assertThat(StatsServer.wantsMetrics("GET /metrics?name[]=x HTTP/1.1")).isTrue();
        assertThat(StatsServer.wantsMetrics("GET /metricsx HTTP/1.1")).isFalse();
        assertThat(StatsServer.wantsMetrics("POST /metrics HTTP/1.1")).isFalse();
        assertThat(StatsServer.wantsMetrics("")).isFalse();
    }
}
