package org.jdistcc.protocol;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds every blocking wait of a stream, as distcc's {@code DISTCC_IO_TIMEOUT} does: each single
 * read or write that takes longer than the timeout runs the expiry action (closing the connection, or
 * ending an inetd process), which unblocks or abandons the waiting thread.
 *
 * <p>A read or write arms an alarm (its deadline, in a shared set) and disarms it when it returns;
 * one sweeper thread for the whole JVM looks at the armed alarms every {@link #SWEEP} and runs the
 * expiry action of those past their deadline. Arming costs a set insertion, not a timer thread woken
 * up twice per read: the client's agent makes dozens of reads and writes per job. An expiry comes at
 * most one sweep late.
 */
public final class Watchdog {
    /** How often armed alarms are looked at. */
    static final Duration SWEEP = Duration.ofMillis(100);
    private static final Set<Alarm> ARMED = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().daemon().name("jdistcc-watchdog").start(Watchdog::sweep);
    }

    private final Duration timeout;

    public Watchdog(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /** {@code out}, with every write bounded by the timeout. */
    public OutputStream guard(OutputStream out, Runnable onExpiry) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Alarm alarm = arm(onExpiry);
                try {
                    out.write(b, off, len);
                } finally {
                    ARMED.remove(alarm);
                }
            }

            @Override
            public void flush() throws IOException {
                Alarm alarm = arm(onExpiry);
                try {
                    out.flush();
                } finally {
                    ARMED.remove(alarm);
                }
            }
        };
    }

    /** {@code in}, with every read bounded by the timeout. */
    public InputStream guard(InputStream in, Runnable onExpiry) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                Alarm alarm = arm(onExpiry);
                try {
                    return in.read();
                } finally {
                    ARMED.remove(alarm);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Alarm alarm = arm(onExpiry);
                try {
                    return in.read(b, off, len);
                } finally {
                    ARMED.remove(alarm);
                }
            }
        };
    }

    private Alarm arm(Runnable onExpiry) {
        Alarm alarm = new Alarm(System.nanoTime() + timeout.toNanos(), onExpiry);
        ARMED.add(alarm);
        return alarm;
    }

    /** How many waits are armed right now, in this whole JVM. */
    static int armed() {
        return ARMED.size();
    }

    /** One armed wait; compared by identity. */
    private static final class Alarm {
        final long deadline;
        final Runnable onExpiry;

        Alarm(long deadline, Runnable onExpiry) {
            this.deadline = deadline;
            this.onExpiry = onExpiry;
        }
    }

    private static void sweep() {
        while (true) {
            try {
                Thread.sleep(SWEEP);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Alarm alarm : ARMED) {
                if (now - alarm.deadline >= 0 && ARMED.remove(alarm)) {
                    try {
                        alarm.onExpiry.run();
                    } catch (RuntimeException e) {
                        // an expiry action that fails (closing a closed socket) must not stop the others
                    }
                }
            }
        }
    }
}
