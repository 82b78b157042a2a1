package org.jdistcc.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one {@link Response}, as distcc's client does. The DONE version must be the one the request
 * was sent in. An end of stream before DONE is how a server refuses a job; it surfaces as a
 * {@link TruncatedException}, which the client treats as a failed host.
 */
public final class ResponseReader {
    private final PacketReader packets;

    public ResponseReader(InputStream in, Limits limits) {
        this.packets = new PacketReader(in, limits);
    }

    public Response read(ProtocolVersion expected) throws IOException {
        long done = packets.expect(Token.DONE);
        if (done != expected.number()) {
            throw new ProtocolException("DONE: server answered version " + done + " to a version "
                    + expected.number() + " request");
        }
        long status = packets.expect(Token.STAT);
        if (status > Integer.MAX_VALUE) {
            throw new ProtocolException("STAT: wait status " + status + " out of range");
        }
        boolean compressed = expected.compressed();
        byte[] stderr = packets.readFile(Token.SERR, compressed);
        byte[] stdout = packets.readFile(Token.SOUT, compressed);
        byte[] object = packets.readFile(Token.DOTO, compressed);
        byte[] deps = null;
        if (status == 0 && expected.serverPreprocesses()) {
            deps = packets.readFile(Token.DOTD, compressed);
        }
        return new Response(expected, (int) status, stderr, stdout, object, deps);
    }
}
