package org.jdistcc.client.state;

import java.time.Instant;

/**
 * One state file as a monitor read it.
 *
 * @param since when the file was last written: the start of the current phase
 */
public record StateEntry(TaskState state, Instant since) {
}
