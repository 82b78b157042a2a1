package org.jdistcc.server;

import org.jdistcc.protocol.ExitCode;

/** distccd cannot start as configured; carries the exit code distccd 3.4 uses for the case. */
public final class StartupException extends Exception {
    private final ExitCode exitCode;

    StartupException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
