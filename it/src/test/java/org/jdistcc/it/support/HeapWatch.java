package org.jdistcc.it.support;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much the heap of this JVM (where an in-process server runs) grew while a test ran: what is
 * still held after a full collection, and the peak of the long-lived pools, where the JVM puts large
 * arrays directly. A server that allocated a buffer of an announced length would show in the peak
 * even after it let go of it; garbage from ordinary work stays in the young pools, which are ignored.
 */
public final class HeapWatch {
    private final long usedAtStart;
    private final Map<String, Long> oldPoolsAtStart = new HashMap<>();

    private HeapWatch() {
        System.gc();
        usedAtStart = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (MemoryPoolMXBean pool : oldPools()) {
            pool.resetPeakUsage();
            oldPoolsAtStart.put(pool.getName(), pool.getUsage().getUsed());
        }
    }

    public static HeapWatch start() {
        return new HeapWatch();
    }

    /** Heap still in use after a full collection, minus what was in use at the start. */
    public long retainedGrowth() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - usedAtStart;
    }

    /** The largest rise of any long-lived heap pool above its use at the start, at its peak. */
    public long peakOldGrowth() {
        long max = 0;
        for (MemoryPoolMXBean pool : oldPools()) {
            long start = oldPoolsAtStart.getOrDefault(pool.getName(), 0L);
            max = Math.max(max, pool.getPeakUsage().getUsed() - start);
        }
        return max;
    }

    private static List<MemoryPoolMXBean> oldPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
                .filter(p -> !p.getName().contains("Eden") && !p.getName().contains("Survivor")
                        && !p.getName().contains("Young"))
                .toList();
    }
}
