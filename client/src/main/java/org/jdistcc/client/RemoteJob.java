package org.jdistcc.client;

import java.io.EOFException;
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
import org.jdistcc.client.state.JobEvents;
import org.jdistcc.client.state.Phase;
import org.jdistcc.client.state.TaskState;
import org.jdistcc.client.transport.Connection;
import org.jdistcc.client.transport.Connector;
import org.jdistcc.protocol.CountingInputStream;
import org.jdistcc.protocol.CountingOutputStream;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolException;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.protocol.TruncatedException;

/**
 * Sends one job to one host and reads the answer: connect, DIST/ARGC/ARGV (while a plain job's
 * source is still being made), DOTI (pump mode: CDIR after DIST, then NFIL and the files), then
 * DONE/STAT/SERR/SOUT/DOTO (pump mode: and DOTD). Every failure along the way becomes an
 * {@link Attempt.DistributionFailed}
 * naming what went wrong; nothing here decides what to do about it.
 */
final class RemoteJob {
    private final Connector connector;

    RemoteJob(Connector connector) {
        this.connector = connector;
    }

    /** Sends the whole job at once: {@link #open}, then {@link Exchange#send}. */
    Attempt run(HostSpec host, ProtocolVersion version, List<String> argv, byte[] source) {
        return run(host, new Request.Plain(version, argv, source), JobEvents.NONE, 0);
    }

    /** Sends {@code request} (plain or pump) whole to {@code host} and reads the answer in its version. */
    Attempt run(HostSpec host, Request request, JobEvents events, int slot) {
        try (Exchange exchange = open(host, request, events, slot)) {
            return exchange.send(request);
        }
    }

    /**
     * Connects to {@code host} and sends the head of a plain request (DIST, ARGC, ARGV), as distcc's
     * client does while its preprocessor still runs. A failure is kept in the exchange and is what
     * {@link Exchange#send} answers. {@code events} hears the phases on {@code slot} of the host
     * (Send once connected, Compile once the request is out, Receive at the answer's first byte)
     * and, on close, the bytes both ways.
     */
    Exchange open(HostSpec host, ProtocolVersion version, List<String> argv, JobEvents events, int slot) {
        return open(host, new Request.Plain(version, argv, NO_SOURCE), events, slot);
    }

    private Exchange open(HostSpec host, Request head, JobEvents events, int slot) {
        Exchange exchange = new Exchange(head, events, TaskState.hostName(host), slot);
        try {
            exchange.connection = connector.connect(host);
            events.phase(Phase.SEND, exchange.hostName, slot);
            exchange.writer = new RequestWriter(
                    new CountingOutputStream(exchange.connection.out(), n -> exchange.sent += n));
            exchange.writer.writeHead(head);
            exchange.writer.flush();
        } catch (IOException e) {
            exchange.failed = failure(e, exchange.connection, false);
        }
        return exchange;
    }

    private static final byte[] NO_SOURCE = new byte[0];

    /** One connection to a host, its request's head sent (unless that failed). */
    static final class Exchange implements AutoCloseable {
        private final Request head;
        private final JobEvents events;
        private final String hostName;
        private final int slot;
        private Connection connection;
        private RequestWriter writer;
        /** Bytes on the wire each way: "no answer" and "half an answer" are different failures. */
        private long sent;
        private long received;
        private Attempt.DistributionFailed failed;

        private Exchange(Request head, JobEvents events, String hostName, int slot) {
            this.head = head;
            this.events = events;
            this.hostName = hostName;
            this.slot = slot;
        }

        /** Whether connecting or sending the head failed already: then {@link #send} answers that failure. */
        boolean failed() {
            return failed != null;
        }

        /** Sends a plain request's source (DOTI) and reads the answer: DONE/STAT/SERR/SOUT/DOTO. */
        Attempt send(byte[] source) {
            return send(new Request.Plain(head.version(), head.argv(), source));
        }

        /** Sends the rest of {@code request}, whose head went out already, and reads the answer. */
        private Attempt send(Request request) {
            if (failed != null) {
                return failed;
            }
            try {
                writer.writeBody(request);
                events.phase(Phase.COMPILE, hostName, slot);
                InputStream in = new CountingInputStream(connection.in(), n -> {
                    if (received == 0) {
                        events.phase(Phase.RECEIVE, hostName, slot); // the answer's first byte
                    }
                    received += n;
                });
                return new Attempt.Answered(new ResponseReader(in, Limits.DEFAULT).read(request.version()));
            } catch (IOException e) {
                return failure(e, connection, received > 0);
            }
        }

        @Override
        public void close() {
            events.transferred(sent, received);
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

    private static String message(IOException e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
