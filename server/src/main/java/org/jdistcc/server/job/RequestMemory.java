package org.jdistcc.server.job;

import java.util.concurrent.atomic.AtomicLong;
import org.jdistcc.protocol.BodyBudget;
import org.jdistcc.protocol.ProtocolException;
import org.jdistcc.protocol.Token;

/**
 * The heap that all connections together may fill with request bodies. Each connection claims what
 * its bodies really take as the bytes arrive; when the total would pass the capacity, that request
 * is refused (its connection closes, and the client tries another host or compiles locally) instead
 * of the daemon running out of memory and failing every job. A connection gives its claim back when
 * its job ends.
 */
public final class RequestMemory {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public RequestMemory(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Half the JVM's maximum heap. */
    public static RequestMemory halfTheHeap() {
        return new RequestMemory(Runtime.getRuntime().maxMemory() / 2);
    }

    /** Bytes claimed by all open connections now. */
    public long used() {
        return used.get();
    }

    /** A claim for one connection; close it when the job is over. */
    Claim open() {
        return new Claim();
    }

    /** One connection's share. Not thread-safe: one connection reads on one thread. */
    final class Claim implements BodyBudget, AutoCloseable {
        private long held;
        private boolean refused;

        @Override
        public void claim(Token token, long bytes) throws ProtocolException {
            if (used.addAndGet(bytes) > capacity) {
                used.addAndGet(-bytes);
                refused = true;
                throw new ProtocolException(token + ": requests in memory would pass the server's limit of "
                        + (capacity >> 20) + " MiB; refusing this one");
            }
            held += bytes;
        }

        /** Whether this claim was refused: the server was too busy to hold this request. */
        boolean refused() {
            return refused;
        }

        @Override
        public void close() {
            used.addAndGet(-held);
            held = 0;
        }
    }
}
