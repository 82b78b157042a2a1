package org.jdistcc.client.schedule;

import java.time.Duration;

/**
 * How {@link SlotWaiter} waits between two scans when every slot is busy.
 *
 * <p>This is also the hook for callers that can do better than sleep: a resident agent that runs
 * many jobs in one JVM knows when one of its own slots frees and can return from {@link #pause}
 * early, so a waiting job rescans at once. Implementations may return before {@code atMost} has
 * passed, for any reason; they must not wait much longer, since the waiter's overall bound relies
 * on it. Returning early is always safe: the waiter just scans again.
 */
@FunctionalInterface
public interface Pause {

    /**
     * Waits for at most {@code atMost}; returns at once for a zero duration.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void pause(Duration atMost) throws InterruptedException;
}
