package org.jdistcc.server.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Tells whether the client has closed its end while its job waits or runs. distcc's client sends
 * nothing after the request, so once the request is read, a read that returns end-of-stream means the
 * client is gone. The first call starts a virtual thread that blocks on that read; call it only after
 * the request has been read completely.
 */
final class DisconnectWatch implements BooleanSupplier {
    private final InputStream in;
    private volatile boolean gone;
    private boolean started;

    DisconnectWatch(InputStream in) {
        this.in = in;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        if (!started) {
            started = true;
            Thread.ofVirtual().name("distccd-disconnect-watch").start(this::watch);
        }
        return gone;
    }

    private void watch() {
        try {
            while (true) {
                try {
                    if (in.read() < 0) {
                        break;
                    }
                } catch (SocketTimeoutException e) {
                    // still connected, only quiet: keep watching
                }
            }
        } catch (IOException e) {
            // a reset or a closed socket: gone as well
        }
        gone = true;
    }
}
