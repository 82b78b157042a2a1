package org.jdistcc.server.job;

/**
 * How one connection ended, in the words of distccd's job summary line and stats page.
 */
public enum JobResult {
    /** The request was refused before it ran: bad request, access, allow-list or arguments. */
    REJ_BAD_REQ,
    /** The server was too busy (reserved; jobs wait for a slot instead). */
    REJ_OVERLOAD,
    /** The compiler ran and exited 0. */
    COMPILE_OK,
    /** The compiler ran and failed, or could not be started. */
    COMPILE_ERROR,
    /** The compiler outlived {@code --job-lifetime} and was killed. */
    COMPILE_TIMEOUT,
    /** The client went away while its job ran. */
    CLI_DISCONN,
    /** Anything else: an I/O error while replying, a temp-file failure. */
    OTHER
}
