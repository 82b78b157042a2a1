package org.jdistcc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestReader;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseWriter;

/**
 * A distcc server that replays a script instead of compiling: each connection it accepts is handled
 * by the next {@link Policy} of the script (the last one repeats), a well-formed answer or one
 * named fault. It listens on an ephemeral port of 127.0.0.1 and records what clients did to it: the
 * requests it read, how many connections came, and the most that were open at once.
 *
 * <p>Everything is bounded: it accepts at most {@code maxConnections} connections and then stops
 * listening (later clients are refused); every read waits at most {@code ioTimeout}; a stall lasts at
 * most {@code stallLimit}; {@link #close()} closes the listener and every open connection and waits
 * a bounded time for its threads.
 *
 * <p>A connection counts as open ("concurrent") from the moment it is accepted until the server
 * starts its reply, closes it, or (for a stall) sees the client go. The count drops before the
 * first byte of the reply is written, so a client that has read its answer and lets the next job
 * in can never be counted together with that next job.
 */
public final class ScriptedDistccServer implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** What the server does with one connection. */
    public sealed interface Policy {
        /** Close the connection as soon as it is accepted, before reading anything. */
        Policy CLOSE_AT_START = new CloseAtStart();
        /** Read the request, send {@code DONE} and {@code STAT 0}, then close. */
        Policy CLOSE_MID_REPLY = new CloseMidReply();
        /** Read the request, then send nothing until the client closes (or the stall limit passes). */
        Policy STALL = new Stall();
        /** Read the request, then answer {@code DONX00000001STAT00000000}: a derailed token stream. */
        Policy WRONG_TOKEN = new WrongToken();

        /** A compile that succeeded with {@code object} as its output. */
        static Policy compiled(byte[] object) {
            return new Answer(0, new byte[0], new byte[0], object);
        }

        /** A compile that succeeded with {@code object} and printed {@code stderr} (warnings). */
        static Policy compiled(byte[] object, String stderr) {
            return new Answer(0, stderr.getBytes(StandardCharsets.UTF_8), new byte[0], object);
        }

        /** A compiler that exited with {@code exitCode} (wait status {@code exitCode << 8}) and {@code stderr}. */
        static Policy compileError(int exitCode, String stderr) {
            return new Answer(exitCode << 8, stderr.getBytes(StandardCharsets.UTF_8), new byte[0], new byte[0]);
        }

        /**
         * Read the request and answer it, in the request's protocol version.
         *
         * @param waitStatus the STAT value: {@code exit << 8}, or a signal number
         * @param object     DOTO on success; a failure always sends an empty DOTO
         */
        record Answer(int waitStatus, byte[] stderr, byte[] stdout, byte[] object) implements Policy {
            public Answer {
                Objects.requireNonNull(stderr, "stderr");
                Objects.requireNonNull(stdout, "stdout");
                Objects.requireNonNull(object, "object");
            }

            Response response(Request request) {
                return new Response(request.version(), waitStatus, stderr, stdout, object,
                        request.version().serverPreprocesses() ? new byte[0] : null);
            }
        }

        /** See {@link #CLOSE_AT_START}. */
        record CloseAtStart() implements Policy {
        }

        /** See {@link #CLOSE_MID_REPLY}. */
        record CloseMidReply() implements Policy {
        }

        /** See {@link #STALL}. */
        record Stall() implements Policy {
        }

        /** See {@link #WRONG_TOKEN}. */
        record WrongToken() implements Policy {
        }
    }

    private final ServerSocket listener;
    private final List<Policy> script;
    private final int maxConnections;
    private final Duration jobDelay;
    private final Duration stallLimit;
    private final int ioTimeoutMillis;
    private final List<Request> requests = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private ScriptedDistccServer(Builder b, ServerSocket listener) {
        this.listener = listener;
        this.script = List.copyOf(b.script);
        this.maxConnections = b.maxConnections;
        this.jobDelay = b.jobDelay;
        this.stallLimit = b.stallLimit;
        this.ioTimeoutMillis = Math.toIntExact(b.ioTimeout.toMillis());
        this.acceptor = Thread.ofPlatform().daemon().name("scripted-distccd-" + listener.getLocalPort())
                .unstarted(this::acceptLoop);
    }

    /** A server that handles every connection with {@code policy}. */
    public static ScriptedDistccServer start(Policy policy) {
        return builder().then(policy).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets a server up; {@link #start()} starts it. */
    public static final class Builder {
        private final List<Policy> script = new ArrayList<>();
        private int maxConnections = 20;
        private Duration jobDelay = Duration.ZERO;
        private Duration stallLimit = Duration.ofSeconds(30);
        private Duration ioTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The policy for the next connection in order; the last one also serves all after it. */
        public Builder then(Policy policy) {
            script.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** How many connections to accept before the server stops listening (default 20). */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be positive: " + n);
            }
            maxConnections = n;
            return this;
        }

        /** How long each job "compiles" after its request was read, so concurrency shows (default 0). */
        public Builder jobDelay(Duration d) {
            jobDelay = requireNotNegative(d, "jobDelay");
            return this;
        }

        /** The longest a {@link Policy#STALL} keeps a connection (default 30 s). */
        public Builder stallLimit(Duration d) {
            stallLimit = requireNotNegative(d, "stallLimit");
            return this;
        }

        /** The longest any one read from a client may wait (default 30 s). */
        public Builder ioTimeout(Duration d) {
            if (!d.isPositive()) {
                throw new IllegalArgumentException("ioTimeout must be positive: " + d);
            }
            ioTimeout = d;
            return this;
        }

        /** Binds an ephemeral port of 127.0.0.1 and starts accepting. */
        public ScriptedDistccServer start() {
            if (script.isEmpty()) {
                throw new IllegalStateException("a script needs at least one policy");
            }
            try {
                ServerSocket listener = new ServerSocket();
                listener.bind(new InetSocketAddress(LOOPBACK, 0), 50);
                ScriptedDistccServer server = new ScriptedDistccServer(this, listener);
                server.acceptor.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
            }
        }

        private static Duration requireNotNegative(Duration d, String what) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }
    }

    /**
     * A port of 127.0.0.1 that nothing listened on a moment ago: bound, then closed at once, so a
     * connection to it is refused (unless something else takes the port meanwhile).
     */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(LOOPBACK, 0), 1);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The host spec of this server: {@code 127.0.0.1:PORT} followed by {@code suffix} (e.g. "/2,lzo"). */
    public String hostSpec(String suffix) {
        return "127.0.0.1:" + port() + suffix;
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** The most connections that were open at the same time so far. */
    public int maxConcurrent() {
        return maxActive.get();
    }

    /** The requests read completely so far, in the order they were read. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        try {
            while (!closed && accepted.get() < maxConnections) {
                Socket socket = listener.accept();
                int index = accepted.getAndIncrement();
                int now = active.incrementAndGet();
                maxActive.accumulateAndGet(now, Math::max);
                open.add(socket);
                Policy policy = script.get(Math.min(index, script.size() - 1));
                Thread t = Thread.ofPlatform().daemon().name("scripted-distccd-job-" + index)
                        .start(() -> serve(socket, policy));
                synchronized (threads) {
                    threads.add(t);
                }
            }
        } catch (IOException e) {
            // closed, or the listener failed: either way no more connections
        } finally {
            closeQuietly(listener);
        }
    }

    /** Handles one connection; {@code active} is decremented exactly once, before any reply byte. */
    private void serve(Socket socket, Policy policy) {
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable leave = () -> {
            if (counted.getAndSet(false)) {
                active.decrementAndGet();
            }
        };
        try (socket) {
            socket.setSoTimeout(ioTimeoutMillis);
            if (policy instanceof Policy.CloseAtStart) {
                leave.run();
                return;
            }
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Request request = new RequestReader(in, Limits.DEFAULT).read();
            synchronized (requests) {
                requests.add(request);
            }
            switch (policy) {
                case Policy.Answer a -> {
                    delay();
                    leave.run();
                    new ResponseWriter(out).write(a.response(request));
                    out.flush();
                    socket.shutdownOutput();
                    drain(in);
                }
                case Policy.CloseMidReply c -> {
                    delay();
                    leave.run();
                    out.write(String.format("DONE%08xSTAT%08x", request.version().number(), 0)
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case Policy.WrongToken w -> {
                    delay();
                    leave.run();
                    out.write("DONX00000001STAT00000000".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case Policy.Stall s -> {
                    stall(socket, in);
                    leave.run();
                }
                case Policy.CloseAtStart c -> throw new AssertionError("handled above");
            }
        } catch (IOException e) {
            // the client went away or sent something unreadable: the connection just ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leave.run();
            open.remove(socket);
        }
    }

    private void delay() throws InterruptedException {
        if (jobDelay.isPositive()) {
            Thread.sleep(jobDelay);
        }
    }

    /** Sends nothing and waits for the client to close, at most the stall limit. */
    private void stall(Socket socket, InputStream in) throws IOException {
        long deadline = System.nanoTime() + stallLimit.toNanos();
        socket.setSoTimeout(100);
        byte[] buf = new byte[4096];
        while (!closed && System.nanoTime() - deadline < 0) {
            try {
                if (in.read(buf) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // still there; keep stalling
            }
        }
    }

    /** Reads what the client still sends until it closes, so the client never sees a reset. */
    private static void drain(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // timed out or reset: done either way
        }
    }

    /** Stops listening, closes every open connection and waits (bounded) for the handler threads. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
        }
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        all.add(acceptor);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
