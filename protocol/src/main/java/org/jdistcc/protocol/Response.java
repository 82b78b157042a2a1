package org.jdistcc.protocol;

/**
 * The server's answer to one job. {@code waitStatus} is the raw POSIX wait status of the compiler
 * ({@code exit << 8}, or the signal number with 0x80 for a core dump), or a distcc exit code shifted
 * left by 8 when the server could not run the compiler at all.
 *
 * @param object       the object file (or assembly), sent only on success; empty otherwise
 * @param dependencies the rewritten .d file, v3 successes only; null otherwise
 */
public record Response(ProtocolVersion version, int waitStatus, byte[] stderr, byte[] stdout, byte[] object,
                       byte[] dependencies) {

    public Response {
        if (waitStatus < 0) {
            throw new IllegalArgumentException("wait status must be non-negative: " + waitStatus);
        }
    }

    /** Whether the compiler exited normally with status 0. */
    public boolean succeeded() {
        return waitStatus == 0;
    }

    /** The compiler's exit code when it exited normally, else -1. */
    public int exitCode() {
        return (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : -1;
    }

    /** The signal that killed the compiler, or 0. */
    public int signal() {
        return waitStatus & 0x7f;
    }
}
