package org.jdistcc.client.schedule;

/**
 * The local machine's slots: the files {@code cpu_localhost_<i>}, shared by every kind of local
 * work, as in stock distcc ({@code lock.c} uses one lock name for {@code dcc_hostdef_local} and
 * {@code dcc_hostdef_local_cpp}).
 *
 * <ul>
 *   <li>Local compiles (links, jobs that must run locally, fallbacks) take one of slots
 *       {@code 0 .. localslots-1} ({@code --localslots}, default {@value #DEFAULT_LOCAL_SLOTS}).</li>
 *   <li>Local preprocessing and {@code -E} jobs take one of slots {@code 0 .. localslots_cpp-1}
 *       ({@code --localslots_cpp}, default {@value #DEFAULT_LOCAL_SLOTS_CPP}).</li>
 *   <li>{@code localhost} in the host list takes its slots from the same files.</li>
 * </ul>
 * Because the files are shared, the two limits overlap rather than add up: with the defaults, at
 * most 8 local jobs of either kind run at once, and a local compile only gets a slot while fewer
 * than 4 of slots 0 to 3 are taken, whoever took them. We keep exactly that, so mixed Java and C
 * clients on one machine respect one budget.
 *
 * <p>Local slots are taken with {@link SlotWaiter#acquireLocal}, which ignores backoff (stock's
 * {@code dcc_lock_local} never checks it). A job that needs a remote slot and a local one takes the
 * remote slot first and releases it last.
 */
public final class LocalSlots {

    /** The lock name of the local machine. */
    public static final String LOCK_NAME = "localhost";

    /** Stock's {@code --localslots} default. */
    public static final int DEFAULT_LOCAL_SLOTS = 4;

    /** Stock's {@code --localslots_cpp} default. */
    public static final int DEFAULT_LOCAL_SLOTS_CPP = 8;

    private LocalSlots() {
    }

    /** The local machine as a target with {@code slots} slots. */
    public static Target target(int slots) {
        return Target.of(LOCK_NAME, slots);
    }
}
