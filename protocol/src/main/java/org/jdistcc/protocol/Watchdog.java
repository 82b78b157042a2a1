package org.jdistcc.protocol;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds every blocking wait of a stream, as distcc's {@code DISTCC_IO_TIMEOUT} does: each single
 * read or write that takes longer than the timeout runs the expiry action (closing the connection, or
 * ending an inetd process), which unblocks or abandons the waiting thread.
 */
public final class Watchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "distccd-watchdog");
        t.setDaemon(true);
        return t;
    });
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
        return timer.schedule(onExpiry, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
