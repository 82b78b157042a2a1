package org.jdistcc.client;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.client.transport.Connection;
import org.jdistcc.client.transport.Connector;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolException;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.protocol.TruncatedException;

/**
 * Sends one job to one host and reads the answer: connect, DIST/ARGC/ARGV/DOTI (pump mode: DIST/CDIR/
 * ARGC/ARGV/NFIL and the files), then DONE/STAT/SERR/SOUT/DOTO (pump mode: and DOTD). Every failure along the way becomes an {@link Attempt.DistributionFailed}
 * naming what went wrong; nothing here decides what to do about it.
 */
final class RemoteJob {
    private final Connector connector;

    RemoteJob(Connector connector) {
        this.connector = connector;
    }

    Attempt run(HostSpec host, ProtocolVersion version, List<String> argv, byte[] source) {
        return run(host, new Request.Plain(version, argv, source));
    }

    /** Sends {@code request} (plain or pump) to {@code host} and reads the answer in its version. */
    Attempt run(HostSpec host, Request request) {
        CountingInputStream in = null;
        Connection c = null;
        try {
            c = connector.connect(host);
            new RequestWriter(c.out()).write(request);
            in = new CountingInputStream(c.in());
            return new Attempt.Answered(new ResponseReader(in, Limits.DEFAULT).read(request.version()));
        } catch (IOException e) {
            Attempt.DistributionFailed failed = classify(e, in != null && in.count > 0);
            Optional<String> transport = c == null ? Optional.empty() : c.transportFailure();
            return transport.map(why -> new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED, why)).orElse(failed);
        } finally {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the job's outcome is already decided
            }
        }
    }

    /**
     * What a failure means. An end of stream before the first byte of the answer is how distccd
     * refuses a job (access, compiler allow-list, bad request); one after it is a server that went
     * away mid-reply, and says so.
     */
    static Attempt.DistributionFailed classify(IOException e, boolean answerStarted) {
        if (e instanceof TruncatedException t && answerStarted) {
            return new Attempt.DistributionFailed(ExitCode.TRUNCATED,
                    "server closed the connection mid-reply (" + t.getMessage() + ")");
        }
        if (e instanceof SocketException && !(e instanceof ConnectException) && !answerStarted && isReset(e)) {
            // a distccd that refuses a job closes the connection unread, so the client sees a reset
            return new Attempt.DistributionFailed(ExitCode.IO_ERROR, "server provided no answer (" + message(e)
                    + "); is it configured to allow access from this address and to run this compiler?");
        }
        return classify(e);
    }

    private static boolean isReset(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("reset") || m.contains("Broken pipe");
    }

    static Attempt.DistributionFailed classify(IOException e) {
        return switch (e) {
            case ConnectException c -> new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED,
                    "connect failed: " + message(c));
            case NoRouteToHostException n -> new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED,
                    "no route to host");
            case UnknownHostException u -> new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED,
                    "unknown host " + u.getMessage());
            case TruncatedException t -> new Attempt.DistributionFailed(ExitCode.TRUNCATED,
                    "server provided no answer (" + t.getMessage() + "); is it configured to allow access from "
                            + "this address and to run this compiler?");
            case ProtocolException p -> new Attempt.DistributionFailed(ExitCode.PROTOCOL_ERROR, message(p));
            case InterruptedIOException t -> new Attempt.DistributionFailed(ExitCode.IO_ERROR,
                    "timed out: " + message(t));
            case EOFException eof -> new Attempt.DistributionFailed(ExitCode.TRUNCATED, "unexpected end of stream");
            default -> new Attempt.DistributionFailed(ExitCode.IO_ERROR, message(e));
        };
    }

    /** Counts the bytes read, to tell "no answer" from "half an answer". */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static String message(IOException e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
