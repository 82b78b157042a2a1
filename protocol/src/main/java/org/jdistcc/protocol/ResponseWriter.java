package org.jdistcc.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one {@link Response} in distcc's order: DONE, STAT, SERR, SOUT, DOTO, and DOTD for v3
 * successes. A failed job sends an empty DOTO whatever the object holds, as distccd does.
 */
public final class ResponseWriter {
    private final PacketWriter packets;

    public ResponseWriter(OutputStream out) {
        this.packets = new PacketWriter(out);
    }

    public void write(Response response) throws IOException {
        boolean compress = response.version().compressed();
        packets.header(Token.DONE, response.version().number());
        packets.header(Token.STAT, response.waitStatus());
        packets.file(Token.SERR, response.stderr(), compress);
        packets.file(Token.SOUT, response.stdout(), compress);
        if (response.succeeded()) {
            packets.file(Token.DOTO, response.object(), compress);
            if (response.version().serverPreprocesses()) {
                byte[] deps = response.dependencies() == null ? new byte[0] : response.dependencies();
                packets.file(Token.DOTD, deps, compress);
            }
        } else {
            packets.header(Token.DOTO, 0);
        }
        packets.flush();
    }
}
