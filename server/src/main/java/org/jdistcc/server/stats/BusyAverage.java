package org.jdistcc.server.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * distccd 3.4's {@code dcc_avg_kids1..3}: how many successful compiles were running, on average,
 * over the minute that ended a minute ago (jobs still running then are not known yet), recomputed
 * at most once a minute; the 5- and 15-minute figures average the last 5 and 15 of those samples,
 * with missing samples as zero. All in whole numbers, as distccd divides. Thread-safe.
 */
final class BusyAverage {
    private static final Duration KEEP = Duration.ofMinutes(2);

    private record Interval(Instant start, Instant stop) {
    }

    private final Deque<Interval> jobs = new ArrayDeque<>();
    private final int[] last5 = new int[5];
    private final int[] last15 = new int[15];
    private int samples;
    private Instant computed;
    private final int[] averages = new int[3];

    /** A successful job ran from {@code start} to {@code stop}. */
    synchronized void add(Instant start, Instant stop) {
        jobs.addFirst(new Interval(start, stop));
        while (!jobs.isEmpty() && jobs.peekLast().stop().isBefore(stop.minus(KEEP))) {
            jobs.removeLast();
        }
    }

    /** The three averages as of {@code now}. */
    synchronized int[] averages(Instant now) {
        if (computed == null || !now.isBefore(computed.plusSeconds(60))) {
            int total = 0;
            for (int t = 60; t < 120; t++) {
                Instant at = now.minusSeconds(t);
                for (Interval job : jobs) {
                    if (!job.start().isAfter(at) && !job.stop().isBefore(at)) {
                        total++;
                    }
                }
            }
            int minute = total / 60;
            last5[samples % 5] = minute;
            last15[samples % 15] = minute;
            samples++;
            averages[0] = minute;
            averages[1] = sum(last5) / 5;
            averages[2] = sum(last15) / 15;
            computed = now;
        }
        return averages.clone();
    }

    private static int sum(int[] values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }
}
