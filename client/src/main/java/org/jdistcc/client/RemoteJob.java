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
 * Sends one plain-mode job to one host and reads the answer: connect, DIST/ARGC/ARGV (while the
 * source is still being made), DOTI, then DONE/STAT/SERR/SOUT/DOTO. Every failure along the way becomes an {@link Attempt.DistributionFailed}
 * naming what went wrong; nothing here decides what to do about it.
 */
final class RemoteJob {
    private final Connector connector;

    RemoteJob(Connector connector) {
        this.connector = connector;
    }

    /** Sends the whole job at once: {@link #open}, then {@link Exchange#send}. */
    Attempt run(HostSpec host, ProtocolVersion version, List<String> argv, byte[] source) {
        try (Exchange exchange = open(host, version, argv)) {
            return exchange.send(source);
        }
    }

    /**
     * Connects to {@code host} and sends the head of the request (DIST, ARGC, ARGV), as distcc's
     * client does while its preprocessor still runs. A failure is kept in the exchange and is what
     * {@link Exchange#send} answers.
     */
    Exchange open(HostSpec host, ProtocolVersion version, List<String> argv) {
        Connection c = null;
        try {
            c = connector.connect(host);
            RequestWriter writer = new RequestWriter(c.out());
            writer.writeHead(new Request.Plain(version, argv, NO_SOURCE));
            writer.flush();
            return new Exchange(c, writer, version, argv, null);
        } catch (IOException e) {
            return new Exchange(c, null, version, argv, failure(e, c, false));
        }
    }

    private static final byte[] NO_SOURCE = new byte[0];

    /** One open connection to a host, its request's head sent. */
    static final class Exchange implements AutoCloseable {
        private final Connection connection;
        private final RequestWriter writer;
        private final ProtocolVersion version;
        private final List<String> argv;
        private final Attempt.DistributionFailed failed;

        private Exchange(Connection connection, RequestWriter writer, ProtocolVersion version, List<String> argv,
                         Attempt.DistributionFailed failed) {
            this.connection = connection;
            this.writer = writer;
            this.version = version;
            this.argv = argv;
            this.failed = failed;
        }

        /** Whether connecting or sending the head failed already: then {@link #send} answers that failure. */
        boolean failed() {
            return failed != null;
        }

        /** Sends the source (DOTI) and reads the answer: DONE/STAT/SERR/SOUT/DOTO. */
        Attempt send(byte[] source) {
            if (failed != null) {
                return failed;
            }
            CountingInputStream in = null;
            try {
                writer.writeBody(new Request.Plain(version, argv, source));
                in = new CountingInputStream(connection.in());
                return new Attempt.Answered(new ResponseReader(in, Limits.DEFAULT).read(version));
            } catch (IOException e) {
                return failure(e, connection, in != null && in.count > 0);
            }
        }

        @Override
        public void close() {
            closeQuietly(connection);
        }
    }

    private static Attempt.DistributionFailed failure(IOException e, Connection c, boolean answerStarted) {
        Attempt.DistributionFailed failed = classify(e, answerStarted);
        Optional<String> transport = c == null ? Optional.empty() : c.transportFailure();
        return transport.map(why -> new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED, why)).orElse(failed);
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
