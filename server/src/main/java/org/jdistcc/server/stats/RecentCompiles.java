package org.jdistcc.server.stats;

import java.time.Instant;

/**
 * Jobs finished in about the last 1, 5 and 15 minutes, counted as distccd 3.4 counts them: in
 * 3-second slots, of which the current one is left out (a page shows the 19, 99 and 298 slots
 * before it). Thread-safe.
 */
final class RecentCompiles {
    private static final int SLOT_SECONDS = 3;
    private static final int SLOTS = 300;
    private static final int[] WINDOWS = {19, 99, 298};

    private final long[] counts = new long[SLOTS];
    private long current = Long.MIN_VALUE;

    synchronized void add(Instant now) {
        advance(now);
        counts[(int) Math.floorMod(current, SLOTS)]++;
    }

    /** The counts over the three windows, ending with the slot before {@code now}'s. */
    synchronized int[] totals(Instant now) {
        advance(now);
        int[] totals = new int[WINDOWS.length];
        for (int w = 0; w < WINDOWS.length; w++) {
            long sum = 0;
            for (int back = 1; back <= WINDOWS[w]; back++) {
                sum += counts[(int) Math.floorMod(current - back, SLOTS)];
            }
            totals[w] = (int) sum;
        }
        return totals;
    }

    private void advance(Instant now) {
        long slot = Math.floorDiv(now.getEpochSecond(), SLOT_SECONDS);
        if (slot <= current) {
            return;
        }
        long from = current == Long.MIN_VALUE || slot - current > SLOTS ? slot - SLOTS : current;
        for (long s = from + 1; s <= slot; s++) {
            counts[(int) Math.floorMod(s, SLOTS)] = 0;
        }
        current = slot;
    }
}
