package org.jdistcc.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
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

    Attempt run(String host, int port, ProtocolVersion version, List<String> argv, byte[] source) {
        try (Connection c = connector.connect(host, port)) {
            new RequestWriter(c.out()).write(new Request.Plain(version, argv, source));
            return new Attempt.Answered(new ResponseReader(c.in(), Limits.DEFAULT).read(version));
        } catch (IOException e) {
            return classify(e);
        }
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
