package org.jdistcc.client.schedule;

import java.time.Duration;
import java.util.Objects;

/** What {@link SlotWaiter} came back with: a slot, no usable host at all, or no slot in time. */
public sealed interface Acquisition {

    /**
     * A slot was taken. The caller owns {@code slot} and must close it when the job no longer needs
     * it.
     *
     * @param target the host the slot belongs to
     * @param slot the held slot; {@code slot.index()} is the slot number
     */
    record Acquired(Target target, Slot slot) implements Acquisition {
        public Acquired {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(slot, "slot");
        }
    }

    /**
     * Every host is down, backed off, already failed in this job, or has no slots: stock's
     * {@code EXIT_NO_HOSTS} (116). The caller falls back to a local compile unless
     * {@code DISTCC_FALLBACK=0}.
     */
    record NoHost() implements Acquisition {
    }

    /**
     * Usable hosts exist but all their slots stayed busy for the whole allowed wait. Stock distcc
     * would have waited forever; the caller decides (typically: fall back as for {@link NoHost}).
     *
     * @param waited how long the waiter spent, by its clock
     */
    record TimedOut(Duration waited) implements Acquisition {
        public TimedOut {
            Objects.requireNonNull(waited, "waited");
        }
    }
}
