package org.jdistcc.protocol;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds every blocking wait of a stream, as distcc's {@code DISTCC_IO_TIMEOUT} does: each single
 * read or write that takes longer than the timeout runs the expiry action (closing the connection, or
 * ending an inetd process), which unblocks or abandons the waiting thread.
 */
public final class Watchdog {
    /** One timer thread for the whole JVM: a watchdog is made per job in the client's agent. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

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
                ScheduledFuture<?> alarm = arm(onExpiry);
                try {
                    out.write(b, off, len);
                } finally {
                    alarm.cancel(false);
                }
            }

            @Override
            public void flush() throws IOException {
                ScheduledFuture<?> alarm = arm(onExpiry);
                try {
                    out.flush();
                } finally {
                    alarm.cancel(false);
                }
            }
        };
    }

    /** {@code in}, with every read bounded by the timeout. */
    public InputStream guard(InputStream in, Runnable onExpiry) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                ScheduledFuture<?> alarm = arm(onExpiry);
                try {
                    return in.read();
                } finally {
                    alarm.cancel(false);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ScheduledFuture<?> alarm = arm(onExpiry);
                try {
                    return in.read(b, off, len);
                } finally {
                    alarm.cancel(false);
                }
            }
        };
    }

    private ScheduledFuture<?> arm(Runnable onExpiry) {
        return TIMER.schedule(onExpiry, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "jdistcc-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // a cancelled alarm (the usual case) leaves nothing behind
        return t;
    }

}
