package org.jdistcc.client;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
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
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolException;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.protocol.TruncatedException;

/**
 * Sends one plain-mode job to one host and reads the answer: connect, DIST/ARGC/ARGV/DOTI, then
 * DONE/STAT/SERR/SOUT/DOTO. Every failure along the way becomes an {@link Attempt.DistributionFailed}
 * naming what went wrong; nothing here decides what to do about it.
 */
final class RemoteJob {
    private final Connector connector;

    RemoteJob(Connector connector) {
        this.connector = connector;
    }

    Attempt run(HostSpec host, ProtocolVersion version, List<String> argv, byte[] source) {
        return run(host, version, argv, source, JobEvents.NONE, 0);
    }

    /**
     * Runs the job, telling {@code events} its phases on {@code slot} of the host (Send once
     * connected, Compile once the request is out, Receive at the answer's first byte) and the bytes
     * both ways.
     */
    Attempt run(HostSpec host, ProtocolVersion version, List<String> argv, byte[] source, JobEvents events, int slot) {
        String name = TaskState.hostName(host);
        CountingInputStream in = null;
        CountingOutputStream out = null;
        Connection c = null;
        try {
            c = connector.connect(host);
            events.phase(Phase.SEND, name, slot);
            out = new CountingOutputStream(c.out());
            new RequestWriter(out).write(new Request.Plain(version, argv, source));
            events.phase(Phase.COMPILE, name, slot);
            in = new CountingInputStream(c.in(), () -> events.phase(Phase.RECEIVE, name, slot));
            return new Attempt.Answered(new ResponseReader(in, Limits.DEFAULT).read(version));
        } catch (IOException e) {
            Attempt.DistributionFailed failed = classify(e, in != null && in.count > 0);
            Optional<String> transport = c == null ? Optional.empty() : c.transportFailure();
            return transport.map(why -> new Attempt.DistributionFailed(ExitCode.CONNECT_FAILED, why)).orElse(failed);
        } finally {
            events.transferred(out == null ? 0 : out.count, in == null ? 0 : in.count);
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

    /** Counts the bytes read, to tell "no answer" from "half an answer"; says when the first came. */
    private static final class CountingInputStream extends FilterInputStream {
        private final Runnable firstByte;
        long count;

        CountingInputStream(InputStream in, Runnable firstByte) {
            super(in);
            this.firstByte = firstByte;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            if (count == 0) {
                firstByte.run();
            }
            count += n;
        }
    }

    /** Counts the bytes written. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static String message(IOException e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
