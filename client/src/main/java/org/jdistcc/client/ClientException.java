package org.jdistcc.client;

import org.jdistcc.protocol.ExitCode;

/** distcc cannot go on, for a reason that has one of distcc's exit codes (a bad host list, 106; ...). */
public final class ClientException extends Exception {
    private final ExitCode exitCode;

    public ClientException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
