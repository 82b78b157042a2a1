package org.jdistcc.client.transport;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * One open connection to a server, for one job. Reads and writes are bounded by the I/O timeout of
 * the connector that opened it; a wait past it fails with an {@link java.io.InterruptedIOException}.
 */
public interface Connection extends Closeable {
    InputStream in();

    OutputStream out();

    /** Where this connection goes, for messages: {@code 127.0.0.1:3632}. */
    String peer();

    /**
     * Why the transport itself failed, if it did (ssh could not log in), in one line, for the
     * failure message instead of guessing at the server.
     */
    default Optional<String> transportFailure() {
        return Optional.empty();
    }
}
