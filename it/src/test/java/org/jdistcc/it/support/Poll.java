package org.jdistcc.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting for something another process or thread will do. Never measures how long it took. */
public final class Poll {
    private static final long INTERVAL_MILLIS = 50;

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds; fails the test with {@code what} (computed only then) if it
     * still does not after {@code bound}.
     */
    public static void until(Duration bound, BooleanSupplier condition, Supplier<String> what) {
        long rounds = Math.max(1, bound.toMillis() / INTERVAL_MILLIS);
        for (long i = 0; i < rounds; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what.get(), e);
            }
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("not within " + bound + ": " + what.get());
        }
    }
}
