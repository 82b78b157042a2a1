package org.jdistcc.server.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;
import org.jdistcc.protocol.CountingInputStream;
import org.jdistcc.protocol.CountingOutputStream;
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

    private final AllowList allowList;
    private final JobHandler handler;
    private final Watchdog watchdog;
    private final Log log;
    private final Consumer<JobReport> reports;
    private final JobEvents events;
    private final BoundedAcceptor acceptor;

    private TcpListener(ServerSocket socket, AllowList allowList, JobHandler handler, Watchdog watchdog, Log log,
                        Consumer<JobReport> reports, JobEvents events, int maxConnections) {
        this.events = events;
        this.allowList = allowList;
        this.handler = handler;
        this.watchdog = watchdog;
        this.log = log;
        this.reports = reports;
        this.acceptor = new BoundedAcceptor(socket, maxConnections, "distccd-accept", false, "distccd-job",
                this::serve, log, WHERE);
    }

    /**
     * Binds {@code listen:port} (null: every address; port 0: an ephemeral one) and starts accepting.
     *
     * @throws IOException if the address cannot be bound (distccd exits 102)
     */
    public static TcpListener start(InetAddress listen, int port, AllowList allowList, JobHandler handler,
                                    Watchdog watchdog, Log log, Consumer<JobReport> reports, JobEvents events,
                                    int maxConnections) throws IOException {
        ServerSocket ss = BoundedAcceptor.bind(listen, port, 1024);
        TcpListener listener = new TcpListener(ss, allowList, handler, watchdog, log, reports, events,
                maxConnections);
        log.info("dcc_listen_by_addr", "listening on " + ss.getLocalSocketAddress());
        listener.acceptor.start();
        return listener;
    }

    public int port() {
        return acceptor.port();
    }

    private void serve(Socket client) {
        events.connected();
        try {
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
                    watchdog.guard(client.getOutputStream(), () -> BoundedAcceptor.closeQuietly(client)),
                    events::bytesSent), 64 * 1024);
            JobReport report = handler.serve(in, out, peer, new DisconnectWatch(in));
            log.notice("dcc_job_summary", report.summary(peer));
            events.finished(report);
            reports.accept(report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!acceptor.closing()) {
                log.error(WHERE, "connection failed: " + e);
            }
        } finally {
            events.disconnected();
        }
    }

    /** Stops accepting, kills running jobs (their compilers and temp files go with them) and waits briefly. */
    @Override
    public void close() {
        acceptor.close();
    }

    /** Blocks until the listener is closed. */
    public void awaitClose() throws InterruptedException {
        acceptor.awaitClose();
    }
}
