package org.jdistcc.client.schedule;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a host for a job and takes one of its slots, waiting while all are busy: the loop of
 * distcc's {@code dcc_lock_one}, with {@link HostPicker} deciding the order, {@link SlotLocks}
 * taking the slot, and {@link Backoff} saying which hosts to avoid.
 *
 * <p>Each round takes a fresh backoff snapshot, asks the picker for the order, and tries each slot
 * once. If the order is empty the answer is {@link Acquisition.NoHost}; if every slot was busy, the
 * waiter pauses for the pause time ({@code DISTCC_PAUSE_TIME_MSEC}) and scans again. Unlike stock,
 * which waits forever, it gives up with {@link Acquisition.TimedOut} once {@code maxWait} has passed
 * by the injected clock. Stock reads backoff once per job; re-reading it each round lets a host that
 * another client backed off meanwhile drop out, and one whose period ran out come back.
 *
 * <p>Waiting goes through {@link Pause}, so tests record it and an in-process agent can wake a
 * waiting job as soon as one of its slots frees. Thread-safe if the pause is.
 */
public final class SlotWaiter {

    /** Stock's pause when every slot is busy: 1000 ms. */
    public static final Duration DEFAULT_PAUSE_TIME = Duration.ofMillis(1000);

    private final SlotLocks locks;
    private final Backoff backoff;
    private final Pause pause;
    private final Duration pauseTime;
    private final Clock clock;

    /**
     * @param locks the slot files
     * @param backoff which hosts to avoid
     * @param pause how to wait between rounds
     * @param pauseTime how long to wait between rounds; zero rescans at once, as stock does
     * @param clock measures the total wait
     */
    public SlotWaiter(SlotLocks locks, Backoff backoff, Pause pause, Duration pauseTime, Clock clock) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.pauseTime = Objects.requireNonNull(pauseTime, "pauseTime");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (pauseTime.isNegative()) {
            throw new IllegalArgumentException("negative pause time " + pauseTime);
        }
    }

    /**
     * The pause time from {@code DISTCC_PAUSE_TIME_MSEC}: unset, empty, not a decimal integer or
     * negative means the default of 1000 ms; {@code 0} means no pause. Stock reads it with
     * {@code atoi}, so there a word means 0 and a negative number a near-endless sleep; we take the
     * default for both.
     */
    public static Duration pauseTime(Map<String, String> env) {
        String value = env.get("DISTCC_PAUSE_TIME_MSEC");
        if (value == null) {
            return DEFAULT_PAUSE_TIME;
        }
        try {
            long millis = Long.parseLong(value.trim());
            return millis < 0 ? DEFAULT_PAUSE_TIME : Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            return DEFAULT_PAUSE_TIME;
        }
    }

    /**
     * Takes a slot on one of {@code targets} for a distributed job.
     *
     * @param targets the host list, in order; it may include {@code localhost}
     * @param failed lock names that already failed this job; they are not tried again
     * @param maxWait how long to keep waiting while every slot is busy (e.g. the IO timeout)
     * @return the slot taken, {@link Acquisition.NoHost}, or {@link Acquisition.TimedOut}
     * @throws IOException if the lock directory, a lock file or a backoff mark cannot be used; stock
     *     distcc then runs the job locally (or exits 116 without fallback)
     * @throws InterruptedException if interrupted while waiting
     */
    public Acquisition acquire(List<Target> targets, Set<String> failed, Duration maxWait)
            throws IOException, InterruptedException {
        return waitFor(List.copyOf(targets), Set.copyOf(failed), true, maxWait);
    }

    /**
     * Takes one of the local slots {@code cpu_localhost_0 .. slots-1} (see {@link LocalSlots}),
     * ignoring backoff as stock does.
     *
     * @param slots {@code --localslots} for a local compile, {@code --localslots_cpp} for
     *     preprocessing
     * @param maxWait how long to keep waiting while every local slot is busy
     */
    public Acquisition acquireLocal(int slots, Duration maxWait)
            throws IOException, InterruptedException {
        return waitFor(List.of(LocalSlots.target(slots)), Set.of(), false, maxWait);
    }

    private Acquisition waitFor(
            List<Target> targets, Set<String> failed, boolean useBackoff, Duration maxWait)
            throws IOException, InterruptedException {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("negative maximum wait " + maxWait);
        }
        Instant start = clock.instant();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a slot");
            }
            Set<String> backedOff =
                    useBackoff ? backoff.backedOff(checkable(targets, failed)) : Set.of();
            List<SlotCandidate> order = HostPicker.order(targets, backedOff, failed);
            if (order.isEmpty()) {
                return new Acquisition.NoHost();
            }
            Optional<Acquisition> taken = takeFirstFree(order);
            if (taken.isPresent()) {
                return taken.get();
            }
            Duration waited = Duration.between(start, clock.instant());
            Duration remaining = maxWait.minus(waited);
            if (!remaining.isPositive()) {
                return new Acquisition.TimedOut(waited);
            }
            pause.pause(pauseTime.compareTo(remaining) < 0 ? pauseTime : remaining);
        }
    }

    private Optional<Acquisition> takeFirstFree(List<SlotCandidate> order) throws IOException {
        for (SlotCandidate candidate : order) {
            Optional<Slot> slot = locks.tryAcquire(candidate.target().lockName(), candidate.index());
            if (slot.isPresent()) {
                return Optional.of(new Acquisition.Acquired(candidate.target(), slot.get()));
            }
        }
        return Optional.empty();
    }

    /** Lock names worth a backoff check: those the picker would not drop anyway. */
    private static List<String> checkable(List<Target> targets, Set<String> failed) {
        List<String> names = new ArrayList<>();
        for (Target target : targets) {
            if (!target.down() && target.slots() > 0 && !failed.contains(target.lockName())
                    && !names.contains(target.lockName())) {
                names.add(target.lockName());
            }
        }
        return names;
    }
}
