package org.jdistcc.client.schedule;

import java.util.Objects;

/**
 * One slot worth trying: slot {@code index} of {@code target}, that is the lock file
 * {@code cpu_<target.lockName()>_<index>}.
 *
 * @param target the host the slot belongs to
 * @param index the slot number, from {@code 0} to {@code target.slots() - 1}
 */
public record SlotCandidate(Target target, int index) {

    public SlotCandidate {
        Objects.requireNonNull(target, "target");
        if (index < 0) {
            throw new IllegalArgumentException("negative slot index " + index);
        }
    }

    @Override
    public String toString() {
        return target.lockName() + "#" + index;
    }
}
