package org.jdistcc.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;

/**
 * One TCP connection to a server on 127.0.0.1 that sends whatever bytes a test gives it, valid or
 * not, and then watches how the server ends the connection.
 */
public final class RawConnection implements AutoCloseable {
    /** How the server ended the connection. */
    public enum Ending {
        /** An orderly close: read returned -1. */
        CLOSED,
        /** A reset: the server closed with unread data, or aborted. */
        RESET
    }

    /** What came back before the connection ended. */
    public record Outcome(Ending ending, byte[] received) {
    }

    /** More reply than any test here expects; a server still sending past it is stuck. */
    private static final int MAX_REPLY = 16 << 20;

    private final Socket socket;

    private RawConnection(Socket socket) {
        this.socket = socket;
    }

    public static RawConnection open(int port) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
            return new RawConnection(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** The request as our own client encodes it. */
    public static byte[] encode(Request request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new RequestWriter(out).write(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Our port, as the server logs the peer: {@code 127.0.0.1:<localPort>}. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public String peerName() {
        return "127.0.0.1:" + localPort();
    }

    public InputStream in() throws IOException {
        return socket.getInputStream();
    }

    public OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    /**
     * Sends {@code bytes}. A server that has already closed may make this fail with a reset or a broken
     * pipe; that is how a refusal can look, so it is not an error here: {@link #awaitEnd} says how the
     * connection ended.
     */
    public void send(byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (SocketException e) {
            // the server closed first; awaitEnd will see it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells the server no more bytes will come (TCP FIN), keeping our side open for reading. */
    public void finishSending() {
        try {
            socket.shutdownOutput();
        } catch (SocketException e) {
            // already reset by the server
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server ends the connection, at most {@code bound}; fails the test if the server
     * keeps it open longer.
     */
    public Outcome awaitEnd(Duration bound) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            socket.setSoTimeout((int) bound.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            while (got.size() <= MAX_REPLY && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    return new Outcome(Ending.CLOSED, got.toByteArray());
                }
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // reported below
        } catch (SocketException e) {
            return new Outcome(Ending.RESET, got.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the server kept the connection from " + peerName() + " open for " + bound
                + " (" + got.size() + " bytes received)");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
