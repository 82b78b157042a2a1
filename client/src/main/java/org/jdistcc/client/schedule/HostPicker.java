package org.jdistcc.client.schedule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The host choice policy of distcc's {@code where.c}, as a pure function: given the host list and
 * what is known about its hosts right now, the slots to try, best first. Taking the first free one
 * of them is {@link SlotWaiter}'s job.
 *
 * <p>The order is distcc 3.4's: <b>slot index first, host order second</b>. Slot 0 of every host
 * in list order, then slot 1 of every host with at least two slots, and so on, so jobs spread one
 * per host before any host gets a second, and earlier hosts are preferred. Like stock distcc, the
 * scan stops below slot index {@value #MAX_SLOT_INDEX}: a host's slots past that are never used.
 *
 * <p>A host is left out when it is {@code ,down}, backed off, or has already failed in this job.
 * Two deliberate differences from stock 3.4:
 * <ul>
 *   <li>A host that failed in this job is excluded by this rule even when backoff is disabled
 *       ({@code DISTCC_BACKOFF_PERIOD=0}). Stock 3.4 excludes a failed host only through its backoff
 *       mark, so with backoff off it retries the same dead host forever (its §2.6 bug).</li>
 *   <li>A {@code ,down} host is left out, so a list of only down hosts yields no candidates (the
 *       caller falls back) instead of stock's "permanently busy" host that it waits for forever.</li>
 * </ul>
 * A lock name listed twice is tried once per slot index, at its first place in the list; stock
 * would try the same file twice in a row, which cannot change the outcome.
 */
public final class HostPicker {

    /** Stock distcc scans slot indexes {@code 0} to {@code 49} only ({@code where.c}). */
    public static final int MAX_SLOT_INDEX = 50;

    private HostPicker() {
    }

    /**
     * The slots to try, in order.
     *
     * @param targets the host list, in its order
     * @param backedOff lock names whose backoff mark is current
     * @param failed lock names that already failed to take this job
     * @return the candidates; empty when every host is excluded or has no slots
     */
    public static List<SlotCandidate> order(
            List<Target> targets, Set<String> backedOff, Set<String> failed) {
        List<Target> usable = new ArrayList<>();
        int widest = 0;
        for (Target target : targets) {
            String name = target.lockName();
            if (target.down() || backedOff.contains(name) || failed.contains(name)) {
                continue;
            }
            usable.add(target);
            widest = Math.max(widest, Math.min(target.slots(), MAX_SLOT_INDEX));
        }
        List<SlotCandidate> order = new ArrayList<>();
        for (int index = 0; index < widest; index++) {
            Set<String> seenAtIndex = new HashSet<>();
            for (Target target : usable) {
                if (index < target.slots() && seenAtIndex.add(target.lockName())) {
                    order.add(new SlotCandidate(target, index));
                }
            }
        }
        return List.copyOf(order);
    }
}
