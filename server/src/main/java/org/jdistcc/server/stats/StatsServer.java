package org.jdistcc.server.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.jdistcc.metrics.PrometheusText;
import org.jdistcc.server.access.AccessDecision;
import org.jdistcc.server.access.AllowList;
import org.jdistcc.server.daemon.BoundedAcceptor;
import org.jdistcc.server.log.Log;

/**
 * The {@code --stats} listener. Like distccd 3.4 it answers every connection from an allowed client
 * with the stats page, whether or not an HTTP request came, and closes; a client outside
 * {@code --allow} is closed without a byte. One request line is looked at: {@code GET /metrics}
 * gets the Prometheus text instead. Not an HTTP server (the JDK's would wait for a request the
 * stock page never needs): a connection waits at most {@code requestWait} for the request head,
 * reads at most {@value #MAX_REQUEST} bytes of it, and at most {@value #MAX_CONNECTIONS} are served
 * at once while others wait in the backlog. Both pages are a few KiB, so the reply fits the socket's
 * send buffer and the write does not wait on the client.
 */
public final class StatsServer implements AutoCloseable {
    /** The most of a request that is read, as distccd's 1024-byte read. */
    static final int MAX_REQUEST = 1024;
    static final int MAX_CONNECTIONS = 16;
    private static final String WHERE = "dcc_stats_server";

    private final AllowList allowList;
    private final Supplier<String> stockPage;
    private final Supplier<String> metrics;
    private final Duration requestWait;
    private final Log log;
    private final BoundedAcceptor acceptor;

    private StatsServer(ServerSocket socket, AllowList allowList, Supplier<String> stockPage, Supplier<String> metrics,
                        Duration requestWait, Log log) {
        this.allowList = allowList;
        this.stockPage = stockPage;
        this.metrics = metrics;
        this.requestWait = requestWait;
        this.log = log;
        this.acceptor = new BoundedAcceptor(socket, MAX_CONNECTIONS, "distccd-stats", true, "distccd-stats-request",
                this::serve, log, WHERE);
    }

    /**
     * Binds {@code listen:port} (null: every address; port 0: an ephemeral one) and starts serving.
     *
     * @param stockPage   the whole stock reply, HTTP header included
     * @param metrics     the Prometheus text
     * @param requestWait how long a connection may take to send its request head
     * @throws IOException if the port cannot be bound
     */
    public static StatsServer start(InetAddress listen, int port, AllowList allowList, Supplier<String> stockPage,
                                    Supplier<String> metrics, Duration requestWait, Log log) throws IOException {
        ServerSocket ss = BoundedAcceptor.bind(listen, port, 64);
        StatsServer server = new StatsServer(ss, allowList, stockPage, metrics, requestWait, log);
        log.info(WHERE, "HTTP server started on " + ss.getLocalSocketAddress());
        server.acceptor.start();
        return server;
    }

    public int port() {
        return acceptor.port();
    }

    private void serve(Socket client) {
        try {
            InetSocketAddress remote = (InetSocketAddress) client.getRemoteSocketAddress();
            if (allowList.check(remote.getAddress()) instanceof AccessDecision.Refused refused) {
                log.error("dcc_check_client", refused.reason() + " (stats port)");
                return;
            }
            String requestLine = readRequestLine(client);
            byte[] reply = (wantsMetrics(requestLine) ? metricsReply() : stockPage.get())
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(reply);
            out.flush();
            client.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            if (!acceptor.closing()) {
                log.info(WHERE, "stats connection failed: " + e);
            }
        }
    }

    /**
     * The first line of what the client sent before its request head ended, the connection ended,
     * {@value #MAX_REQUEST} bytes came or {@code requestWait} passed; empty if nothing came.
     */
    private String readRequestLine(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + requestWait.toNanos();
        byte[] buf = new byte[MAX_REQUEST];
        while (head.size() < MAX_REQUEST && !headEnded(head)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            client.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buf, 0, MAX_REQUEST - head.size());
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            head.write(buf, 0, n);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        return (eol < 0 ? text : text.substring(0, eol)).strip();
    }

    private static boolean headEnded(ByteArrayOutputStream head) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.contains("\n\n") || text.contains("\r\n\r\n");
    }

    /** Whether the request line asks for {@code /metrics} (with or without a query string). */
    static boolean wantsMetrics(String requestLine) {
        String[] words = requestLine.split(" ");
        if (words.length < 2 || !words[0].equals("GET")) {
            return false;
        }
        String path = words[1];
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).equals("/metrics");
    }

    private String metricsReply() {
        byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.0 200 OK\r\nContent-Type: " + PrometheusText.CONTENT_TYPE + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
    }

    /** Stops accepting and closes open stats connections. */
    @Override
    public void close() {
        acceptor.close();
    }
}
