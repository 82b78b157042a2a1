package org.jdistcc.protocol;

import java.io.IOException;

/**
 * The peer sent something the protocol does not allow: a token out of order ("protocol derailment"),
 * a header that is not 4 letters and 8 hex digits, a length or count beyond {@link Limits}, a version
 * we do not speak, or a body that is not valid LZO. Maps to {@link ExitCode#PROTOCOL_ERROR} (109).
 * The message names the token and shows a little printable context.
 */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
