package org.jdistcc.client.schedule;

import java.time.Duration;

/** The stock {@link Pause}: sleep the whole duration ({@code usleep} in {@code where.c}). */
public final class SleepingPause implements Pause {

    @Override
    public void pause(Duration atMost) throws InterruptedException {
        if (atMost.isPositive()) {
            Thread.sleep(atMost);
        }
    }
}
