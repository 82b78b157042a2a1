package org.jdistcc.client.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.protocol.Watchdog;

/**
 * TCP connections to distccd. Every address a name resolves to is tried in turn, each for at most
 * the connect timeout (distcc's is a fixed 4 s; ours is {@code DISTCC_CONNECT_TIMEOUT}). Each read
 * and each write waits at most the watchdog's I/O timeout; the wait for the remote compile is a read.
 */
public final class TcpConnector implements Connector {
    private final Duration connectTimeout;
    private final Watchdog watchdog;

    public TcpConnector(Duration connectTimeout, Watchdog watchdog) {
        this.connectTimeout = connectTimeout;
        this.watchdog = watchdog;
    }

    @Override
    public Connection connect(HostSpec host) throws IOException {
        if (!(host instanceof HostSpec.Tcp tcp)) {
            throw new IllegalArgumentException("not a TCP host: " + host.token());
        }
        return connect(tcp.host(), tcp.port());
    }

    /** Connects to {@code host} on {@code port}. */
    public Connection connect(String host, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), millis(connectTimeout));
                socket.setSoTimeout(millis(watchdog.timeout()));
                socket.setTcpNoDelay(true);
                return new TcpConnection(socket, host + ":" + port, watchdog);
            } catch (SocketTimeoutException e) {
                socket.close();
                last = new SocketTimeoutException("connect to " + host + ":" + port + " timed out after "
                        + millis(connectTimeout) + " ms");
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address for " + host);
    }

    /**
     * A timeout as the int of milliseconds sockets take: at least 1 (0 would mean "forever"), and at
     * most Integer.MAX_VALUE (about 24 days), so that a huge DISTCC_IO_TIMEOUT means "very long"
     * instead of overflowing into a negative value the socket rejects.
     */
    static int millis(Duration timeout) {
        long ms;
        try {
            ms = timeout.toMillis();
        } catch (ArithmeticException e) {
            ms = Long.MAX_VALUE;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private static final class TcpConnection implements Connection {
        private final Socket socket;
        private final String peer;
        private final InputStream in;
        private final OutputStream out;

        TcpConnection(Socket socket, String peer, Watchdog watchdog) throws IOException {
            this.socket = socket;
            this.peer = peer;
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            this.out = new BufferedOutputStream(watchdog.guard(socket.getOutputStream(), this::abort), 64 * 1024);
        }

        private void abort() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the write that timed out fails with the closed socket
            }
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public String peer() {
            return peer;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
