package org.jdistcc.server.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdistcc.server.log.Log;

/**
 * What distccd's job port and its stats port share: one thread accepts on a bound socket, each
 * connection is served on its own virtual thread, and at most {@code limit} are open at once, so
 * further clients wait in the listen backlog. The connection's socket is closed and its place freed
 * when {@code serve} returns, whatever happened. Closing stops accepting, interrupts the connections'
 * threads, closes their sockets and waits for them, five seconds at most each.
 */
public final class BoundedAcceptor implements AutoCloseable {
    private final ServerSocket socket;
    private final Semaphore places;
    private final Consumer<Socket> serve;
    private final String connectionName;
    private final Log log;
    private final String where;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    /**
     * @param name           the accepting thread's name; {@code daemon} whether it keeps the JVM alive
     * @param connectionName each connection thread's name
     * @param where          the log's function name for accept failures
     */
    public BoundedAcceptor(ServerSocket socket, int limit, String name, boolean daemon, String connectionName,
                    Consumer<Socket> serve, Log log, String where) {
        this.socket = socket;
        this.places = new Semaphore(limit);
        this.serve = serve;
        this.connectionName = connectionName;
        this.log = log;
        this.where = where;
        this.acceptor = Thread.ofPlatform().name(name).daemon(daemon).unstarted(this::acceptLoop);
    }

    /**
     * A server socket bound to {@code listen:port} (null: every address; port 0: an ephemeral one).
     *
     * @throws IOException if the address cannot be bound
     */
    public static ServerSocket bind(InetAddress listen, int port, int backlog) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(listen, port), backlog);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        return ss;
    }

    /** Starts accepting: once whoever serves the connections is ready. */
    public void start() {
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Whether {@link #close} was called: failures of connections cut short by it are not news. */
    public boolean closing() {
        return closing;
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                places.acquire();
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    places.release();
                    if (!closing) {
                        log.error(where, "accept failed: " + e.getMessage());
                    }
                    continue;
                }
                open.add(client);
                Thread connection = Thread.ofVirtual().name(connectionName).unstarted(() -> run(client));
                connections.add(connection);
                connection.start();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(Socket client) {
        try (client) {
            serve.accept(client);
        } catch (IOException e) {
            // closing the socket failed: it is gone either way
        } finally {
            open.remove(client);
            connections.remove(Thread.currentThread());
            places.release();
        }
    }

    /** Closes {@code s}, ignoring that it may be closed already. */
    public static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
        connections.forEach(Thread::interrupt);
        open.forEach(BoundedAcceptor::closeQuietly);
        for (Thread t : connections) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Blocks until the acceptor is closed. */
    public void awaitClose() throws InterruptedException {
        acceptor.join();
    }
}
