package org.jdistcc.client.hosts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jdistcc.protocol.ProtocolVersion;

/**
 * A parsed host list: the hosts in the order written, plus the list-wide keywords.
 *
 * <p>The order matters: the scheduler tries earlier hosts first. The parser never reorders; a
 * caller that honours {@code --randomize} calls {@link #shuffled} once per process, as distcc
 * shuffles once per client with {@code srand(getpid())}.
 *
 * @param hosts the entries in list order; may be empty only when {@code zeroconf} is set
 * @param localSlots {@code --localslots}: local jobs that cannot be distributed (links, fallbacks)
 * @param localSlotsCpp {@code --localslots_cpp}: concurrent local preprocessing, {@code -E} included
 * @param randomize {@code --randomize}: the caller should use {@link #shuffled}
 * @param zeroconf {@code +zeroconf}: hosts found by browsing {@code _distcc._tcp} are to be added
 */
public record HostList(List<HostSpec> hosts, int localSlots, int localSlotsCpp, boolean randomize,
        boolean zeroconf) {
    /** {@code --localslots} when the list does not say. */
    public static final int DEFAULT_LOCAL_SLOTS = 4;
    /** {@code --localslots_cpp} when the list does not say. */
    public static final int DEFAULT_LOCAL_SLOTS_CPP = 8;

    public HostList {
        hosts = List.copyOf(hosts);
        if (localSlots < 1 || localSlotsCpp < 1) {
            throw new IllegalArgumentException("local slots must be at least 1");
        }
    }

    /**
     * What {@code distcc -j} prints: the sum of every host's slots, {@code localhost} and
     * {@code ,down} hosts included, as distcc 3.4's {@code dcc_concurrency_level} adds them.
     * {@code --localslots} does not count.
     */
    public int totalSlots() {
        long sum = 0;
        for (HostSpec host : hosts) {
            sum += host.slots();
        }
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }

    /**
     * Whether every host is a plain-mode network host (no {@code localhost}, no pump host): wherever
     * a job goes, its source is preprocessed here first.
     */
    public boolean allPreprocessHere() {
        return !hosts.isEmpty() && hosts.stream().allMatch(h -> !(h instanceof HostSpec.Local)
                && h.protocol() != ProtocolVersion.V3);
    }

    /**
     * The same list with the hosts in random order ({@code --randomize}): the whole list,
     * {@code localhost} included, every other field unchanged.
     */
    public HostList shuffled(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        List<HostSpec> order = new ArrayList<>(hosts);
        Collections.shuffle(order, random);
        return new HostList(order, localSlots, localSlotsCpp, randomize, zeroconf);
    }
}
