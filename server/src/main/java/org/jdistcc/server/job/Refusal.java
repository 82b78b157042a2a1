package org.jdistcc.server.job;

/**
 * Why the server refused a connection before compiling anything. distccd's stats page counts all
 * of these but access as {@code dcc_rej_bad_req}; the metrics page tells them apart.
 */
public enum Refusal {
    /** The client's address is outside {@code --allow}. */
    ACCESS,
    /** The compiler is not on the allow-list. */
    COMPILER,
    /** The arguments were refused: code-loading options, not distributable, no output to redirect. */
    ARGUMENTS,
    /** The request was malformed, truncated, or of a kind not served. */
    BAD_REQUEST,
    /** The request would have passed the server's memory limit for requests. */
    BUSY
}
