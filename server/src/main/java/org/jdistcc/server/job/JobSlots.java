package org.jdistcc.server.job;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server's {@code --jobs} compile slots. A job holds one only while its compiler runs: reading the
 * request and sending the reply need none, so a slow or silent client never holds a slot. Waiters are
 * served in arrival order, and a waiter whose client has gone stops waiting.
 */
public final class JobSlots {
    private static final long POLL_MILLIS = 100;

    private final int size;
    private final Semaphore permits;

    public JobSlots(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one job slot: " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    public int size() {
        return size;
    }

    /** Jobs whose compiler runs now. */
    public int busy() {
        return size - permits.availablePermits();
    }

    /** Waits for a slot; false if {@code abandoned} turned true first. */
    boolean acquire(BooleanSupplier abandoned) throws InterruptedException {
        while (!permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (abandoned.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    void release() {
        permits.release();
    }
}
