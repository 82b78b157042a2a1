package org.jdistcc.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * distcc's exit codes ({@code exitcode.h}), shared by client and server, and the one place that maps
 * a failure to one of them. The numbers are part of the interface: build scripts and distcc's own
 * test suite check them, and the server puts them in STAT ({@code code << 8}) when it could not run
 * the compiler. Keep this table in step with the man pages.
 */
public enum ExitCode {
    DISTCC_FAILED(100),
    BAD_ARGUMENTS(101),
    BIND_FAILED(102),
    CONNECT_FAILED(103),
    COMPILER_CRASHED(104),
    OUT_OF_MEMORY(105),
    BAD_HOSTSPEC(106),
    IO_ERROR(107),
    TRUNCATED(108),
    PROTOCOL_ERROR(109),
    COMPILER_MISSING(110),
    RECURSION(111),
    SETUID_FAILED(112),
    ACCESS_DENIED(113),
    BUSY(114),
    NO_SUCH_FILE(115),
    NO_HOSTS(116),
    GONE(117),
    TIMEOUT(118),
    GSSAPI_FAILED(119),
    LOCAL_CPP(120);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The numeric process exit status. */
    public int code() {
        return code;
    }

    /** The wait status a server reports in STAT when this failure kept the compiler from running. */
    public int asWaitStatus() {
        return code << 8;
    }

    /**
     * Classifies a failure of distribution. Truncation and protocol errors have their own codes;
     * timeouts and other I/O failures are I/O errors; anything else is a general distcc failure.
     */
    public static ExitCode classify(Throwable failure) {
        return switch (failure) {
            case TruncatedException t -> TRUNCATED;
            case ProtocolException p -> PROTOCOL_ERROR;
            case EOFException e -> TRUNCATED;
            case InterruptedIOException e -> IO_ERROR;
            case IOException e -> IO_ERROR;
            case OutOfMemoryError e -> OUT_OF_MEMORY;
            default -> DISTCC_FAILED;
        };
    }
}
