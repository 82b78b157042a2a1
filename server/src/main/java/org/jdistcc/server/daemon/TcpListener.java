package org.jdistcc.server.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdistcc.protocol.Watchdog;
import org.jdistcc.server.access.AccessDecision;
import org.jdistcc.server.access.AddressLiteral;
import org.jdistcc.server.access.AllowList;
import org.jdistcc.server.job.JobEvents;
import org.jdistcc.server.job.JobHandler;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.Refusal;
import org.jdistcc.server.log.Log;

/**
 * distccd's TCP side. One thread accepts; each connection is served on its own virtual thread. The
 * client address is checked against the allow list before a byte is read; a refused client gets a
 * reset, as from stock distccd. At most {@code maxConnections} are open at once, so further clients
 * wait in the listen backlog; every read and write is bounded by the I/O timeout. Compile slots are
 * the {@link JobHandler}'s business, not the listener's. The connection's life and its bytes go to
 * the {@link JobEvents}.
 */
public final class TcpListener implements AutoCloseable {
    private static final String WHERE = "dcc_accept";

    private final ServerSocket socket;
    private final AllowList allowList;
    private final JobHandler handler;
    private final Watchdog watchdog;
    private final Log log;
    private final Consumer<JobReport> reports;
    private final JobEvents events;
    private final Semaphore connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    private TcpListener(ServerSocket socket, AllowList allowList, JobHandler handler, Watchdog watchdog, Log log,
                        Consumer<JobReport> reports, JobEvents events, int maxConnections) {
        this.socket = socket;
        this.events = events;
        this.allowList = allowList;
        this.handler = handler;
        this.watchdog = watchdog;
        this.log = log;
        this.reports = reports;
        this.connections = new Semaphore(maxConnections);
        this.acceptor = Thread.ofPlatform().name("distccd-accept").daemon(false).unstarted(this::acceptLoop);
    }

    /**
     * Binds {@code listen:port} (null: every address; port 0: an ephemeral one) and starts accepting.
     *
     * @throws IOException if the address cannot be bound (distccd exits 102)
     */
    public static TcpListener start(InetAddress listen, int port, AllowList allowList, JobHandler handler,
                                    Watchdog watchdog, Log log, Consumer<JobReport> reports, JobEvents events,
                                    int maxConnections) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(listen, port), 1024);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        TcpListener listener = new TcpListener(ss, allowList, handler, watchdog, log, reports, events,
                maxConnections);
        log.info("dcc_listen_by_addr", "listening on " + ss.getLocalSocketAddress());
        listener.acceptor.start();
        return listener;
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                connections.acquire();
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    connections.release();
                    if (!closing) {
                        log.error(WHERE, "accept failed: " + e.getMessage());
                    }
                    continue;
                }
                open.add(client);
                Thread worker = Thread.ofVirtual().name("distccd-job").unstarted(() -> serve(client));
                workers.add(worker);
                worker.start();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        events.connected();
        try (client) {
            InetSocketAddress remote = (InetSocketAddress) client.getRemoteSocketAddress();
            String peer = AddressLiteral.format(remote.getAddress(), remote.getPort());
            if (allowList.check(remote.getAddress()) instanceof AccessDecision.Refused refused) {
                log.error("dcc_check_client", refused.reason());
                events.refused(Refusal.ACCESS);
                client.setSoLinger(true, 0);
                return;
            }
            log.debug(WHERE, "accepted connection from " + peer);
            client.setSoTimeout((int) watchdog.timeout().toMillis());
            client.setTcpNoDelay(true);
            var in = new BufferedInputStream(new CountingInputStream(client.getInputStream(), events::bytesReceived),
                    64 * 1024);
            OutputStream out = new BufferedOutputStream(new CountingOutputStream(
                    watchdog.guard(client.getOutputStream(), () -> closeQuietly(client)), events::bytesSent), 64 * 1024);
            JobReport report = handler.serve(in, out, peer, new DisconnectWatch(in));
            log.notice("dcc_job_summary", report.summary(peer));
            events.finished(report);
            reports.accept(report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                log.error(WHERE, "connection failed: " + e);
            }
        } finally {
            events.disconnected();
            open.remove(client);
            workers.remove(Thread.currentThread());
            connections.release();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops accepting, kills running jobs (their compilers and temp files go with them) and waits briefly. */
    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
        workers.forEach(Thread::interrupt);
        open.forEach(TcpListener::closeQuietly);
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Blocks until the listener is closed. */
    public void awaitClose() throws InterruptedException {
        acceptor.join();
    }
}
