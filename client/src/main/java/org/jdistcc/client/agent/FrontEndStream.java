package org.jdistcc.client.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.jdistcc.protocol.PacketWriter;
import org.jdistcc.protocol.Token;

/**
 * The caller's stdout or stderr as seen from the agent: every flush sends what was written as one
 * SOUT or SERR packet to the front-end, which writes it to its own stream. Writes of both streams go
 * through one {@link PacketWriter}, guarded by it.
 */
final class FrontEndStream extends OutputStream {
    private final PacketWriter packets;
    private final Token token;
    private byte[] buffer = new byte[8192];
    private int count;

    FrontEndStream(PacketWriter packets, Token token) {
        this.packets = packets;
        this.token = token;
    }

    @Override
    public synchronized void write(int b) {
        ensure(1);
        buffer[count++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    private void ensure(int more) {
        if (count + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
        }
    }

    @Override
    public void flush() throws IOException {
        byte[] chunk;
        synchronized (this) {
            if (count == 0) {
                return;
            }
            chunk = Arrays.copyOf(buffer, count);
            count = 0;
        }
        synchronized (packets) {
            packets.body(token, chunk);
            packets.flush();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
