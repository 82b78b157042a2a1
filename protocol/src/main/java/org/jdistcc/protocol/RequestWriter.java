package org.jdistcc.protocol;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one {@link Request} in the byte order distcc's client uses. */
public final class RequestWriter {
    private final PacketWriter packets;

    public RequestWriter(OutputStream out) {
        this.packets = new PacketWriter(out);
    }

    public void write(Request request) throws IOException {
        writeHead(request);
        writeBody(request);
    }

    /** Writes what follows the head: the source (v1, v2) or the files (v3); then flushes. */
    public void writeBody(Request request) throws IOException {
        switch (request) {
            case Request.Plain p -> packets.file(Token.DOTI, p.source(), p.version().compressed());
            case Request.Pump p -> {
                packets.header(Token.NFIL, p.files().size());
                for (IncludedFile f : p.files()) {
                    packets.string(Token.NAME, f.name());
                    switch (f) {
                        case IncludedFile.Contents c -> packets.file(Token.FILE, c.contents(), true);
                        case IncludedFile.Link l -> packets.string(Token.LINK, l.target());
                    }
                }
            }
        }
        packets.flush();
    }

    /**
     * Writes everything before the source: DIST, CDIR for v3, ARGC and ARGV. distcc's client sends
     * this while the preprocessor still runs; {@link #write} calls it too.
     */
    public void writeHead(Request request) throws IOException {
        packets.header(Token.DIST, request.version().number());
        if (request instanceof Request.Pump p) {
            packets.string(Token.CDIR, p.cwd());
        }
        packets.header(Token.ARGC, request.argv().size());
        for (String arg : request.argv()) {
            packets.string(Token.ARGV, arg);
        }
    }

    /** Sends what was written so far: the head, when the source is not ready yet. */
    public void flush() throws IOException {
        packets.flush();
    }
}
