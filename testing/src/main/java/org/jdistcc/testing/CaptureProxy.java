package org.jdistcc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loopback TCP proxy that records one connection. It listens on an ephemeral port of 127.0.0.1,
 * accepts exactly one client, connects it to a target port of 127.0.0.1, copies both directions
 * and keeps a copy of every byte: what the client sent (the request) and what the target answered
 * (the response). A half-close is passed on, so the peers see the same end of stream they would
 * see without the proxy.
 *
 * <p>Bounded on purpose: one connection, loopback only, and every accept, connect and read waits at
 * most the given timeout. {@link #await} returns once both directions have ended; {@link #close}
 * stops everything that is still running.
 */
public final class CaptureProxy implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket listener;
    private final int targetPort;
    private final int timeoutMillis;
    private final CompletableFuture<Capture> result = new CompletableFuture<>();
    private volatile Socket client;
    private volatile Socket target;

    /** The bytes of one connection, each direction on its own. */
    public record Capture(byte[] request, byte[] response) {
    }

    private CaptureProxy(ServerSocket listener, int targetPort, Duration timeout) {
        this.listener = listener;
        this.targetPort = targetPort;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /** Starts listening and serves the first client that connects, in the background. */
    public static CaptureProxy start(int targetPort, Duration timeout) throws IOException {
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("target port out of range: " + targetPort);
        }
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(LOOPBACK, 0), 1);
        CaptureProxy proxy = new CaptureProxy(listener, targetPort, timeout);
        Thread.ofPlatform().daemon().name("capture-proxy-" + proxy.port()).start(proxy::serveOne);
        return proxy;
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Waits for the one connection to end in both directions and returns what passed.
     *
     * @throws IOException if no client came, the target refused, or a direction failed
     * @throws TimeoutException if the exchange did not end within {@code wait}
     */
    public Capture await(Duration wait) throws IOException, InterruptedException, TimeoutException {
        try {
            return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("capture failed", e.getCause());
        }
    }

    private void serveOne() {
        try {
            listener.setSoTimeout(timeoutMillis);
            Socket c = listener.accept();
            client = c;
            listener.close();
            Socket t = new Socket();
            target = t;
            t.connect(new InetSocketAddress(LOOPBACK, targetPort), timeoutMillis);
            c.setSoTimeout(timeoutMillis);
            t.setSoTimeout(timeoutMillis);
            CompletableFuture<byte[]> up = copy("request", c, t);
            CompletableFuture<byte[]> down = copy("response", t, c);
            result.complete(new Capture(up.join(), down.join()));
        } catch (IOException e) {
            result.completeExceptionally(e);
        } catch (RuntimeException e) {
            result.completeExceptionally(e.getCause() instanceof IOException io ? io : e);
        } finally {
            closeQuietly();
        }
    }

    /** Copies {@code from} to {@code to} until end of stream, then half-closes {@code to}. */
    private CompletableFuture<byte[]> copy(String direction, Socket from, Socket to) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("capture-proxy-" + direction).start(() -> {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    seen.write(buffer, 0, n);
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException gone) {
                        // The other side closed early (a refusing server does): keep recording.
                    }
                }
                shutdownOutput(to);
                done.complete(seen.toByteArray());
            } catch (SocketTimeoutException e) {
                done.completeExceptionally(new IOException(direction + ": no data for " + timeoutMillis
                        + " ms after " + seen.size() + " bytes", e));
            } catch (IOException e) {
                // A reset after the data: what arrived is the capture.
                shutdownOutput(to);
                done.complete(seen.toByteArray());
            }
        });
        return done;
    }

    private static void shutdownOutput(Socket s) {
        try {
            if (!s.isClosed() && !s.isOutputShutdown()) {
                s.shutdownOutput();
            }
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {listener, client, target}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing is best effort
                }
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
        result.completeExceptionally(new IOException("capture proxy closed"));
    }
}
