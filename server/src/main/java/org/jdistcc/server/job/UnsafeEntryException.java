package org.jdistcc.server.job;

/**
 * A pump request names something the server will not make: a path outside the fake root, a
 * duplicate, a file where a directory must be, a link that escapes. The job is refused (no reply,
 * one log line, REJ_BAD_REQ), as distccd refuses any bad request.
 */
final class UnsafeEntryException extends Exception {
    UnsafeEntryException(String message) {
        super(message);
    }
}
