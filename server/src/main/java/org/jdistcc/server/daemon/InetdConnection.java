package org.jdistcc.server.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import org.jdistcc.protocol.Watchdog;
import org.jdistcc.server.access.AccessDecision;
import org.jdistcc.server.access.AddressLiteral;
import org.jdistcc.server.access.AllowList;
import org.jdistcc.server.job.JobHandler;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.log.Log;

/**
 * {@code --inetd}: one job over stdin and stdout, then exit. Started by inetd, stdin is a socket and
 * its peer is checked against the allow list; started over SSH, stdin is a pipe with no peer address,
 * and the SSH login was the access check. A stalled read or write ends the process.
 */
public final class InetdConnection {
    private InetdConnection() {
    }

    /**
     * Serves the one job on stdin/stdout.
     *
     * @param stall run when a single read or write waits longer than the I/O timeout
     * @return the job's report, or null if the peer was refused
     */
    public static JobReport serve(Channel inherited, AllowList allowList, JobHandler handler, Watchdog watchdog,
                                  Log log, Runnable stall) throws IOException, InterruptedException {
        InputStream rawIn;
        OutputStream rawOut;
        String peer;
        if (inherited instanceof SocketChannel sc) {
            InetSocketAddress remote = (InetSocketAddress) sc.getRemoteAddress();
            peer = AddressLiteral.format(remote.getAddress(), remote.getPort());
            if (allowList.check(remote.getAddress()) instanceof AccessDecision.Refused refused) {
                log.error("dcc_check_client", refused.reason());
                return null;
            }
            rawIn = Channels.newInputStream(sc);
            rawOut = Channels.newOutputStream(sc);
        } else {
            peer = "(stdin)";
            rawIn = new FileInputStream(FileDescriptor.in);
            rawOut = new FileOutputStream(FileDescriptor.out);
        }
        InputStream in = new BufferedInputStream(watchdog.guard(rawIn, stall), 64 * 1024);
        OutputStream out = new BufferedOutputStream(watchdog.guard(rawOut, stall), 64 * 1024);
        JobReport report = handler.serve(in, out, peer, new DisconnectWatch(rawIn));
        log.notice("dcc_job_summary", report.summary(peer));
        return report;
    }
}
