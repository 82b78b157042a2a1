package org.jdistcc.client.transport;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One open connection to a server, for one job. Reads and writes are bounded by the I/O timeout of
 * the connector that opened it; a wait past it fails with an {@link java.io.InterruptedIOException}.
 */
public interface Connection extends Closeable {
    InputStream in();

    OutputStream out();

    /** Where this connection goes, for messages: {@code 127.0.0.1:3632}. */
    String peer();

    /** What the transport itself said, if anything (ssh's last error lines), for a failure message. */
    default String diagnostics() {
        return "";
    }
}
