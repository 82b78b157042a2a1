package org.jdistcc.protocol;

import java.io.EOFException;

/**
 * The stream ended in the middle of a packet or before the exchange was complete. Maps to
 * {@link ExitCode#TRUNCATED} (108). The message names the token being read.
 */
public final class TruncatedException extends EOFException {
    public TruncatedException(String message) {
        super(message);
    }
}
