package org.jdistcc.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that stands still until a test moves it: time-dependent rules (backoff periods, waits
 * measured by a clock) become exact. Thread-safe; zone UTC.
 */
public final class FakeClock extends Clock {
    private volatile Instant now;

    public FakeClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** A clock at the current second of the real time (file mtimes it sets look ordinary). */
    public static FakeClock atSystemTime() {
        return new FakeClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /** Sets the clock to {@code to}, backwards too: for tests of clock skew. */
    public synchronized void set(Instant to) {
        now = Objects.requireNonNull(to, "to");
    }

    /** Moves the clock forward by {@code d}. */
    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock only goes forward: " + d);
        }
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a FakeClock is always UTC");
    }
}
