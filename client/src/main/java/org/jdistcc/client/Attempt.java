package org.jdistcc.client;

import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Response;

/**
 * How one remote attempt ended, classified once (style habit 5): the server answered (the compiler
 * ran, successfully or not), or distribution failed (no connection, a refusal, a protocol error, a
 * timeout). Only the second backs the host off and tries elsewhere.
 */
sealed interface Attempt {

    /** The server ran the job and answered; {@code response.waitStatus()} is the compiler's. */
    record Answered(Response response) implements Attempt {
    }

    /**
     * The job did not get through.
     *
     * @param code   distcc's exit code for the failure (103 connect, 107 I/O, 108 truncated, 109 protocol)
     * @param reason one phrase for the fallback line: "connection refused", "server closed the connection"
     */
    record DistributionFailed(ExitCode code, String reason) implements Attempt {
    }
}
