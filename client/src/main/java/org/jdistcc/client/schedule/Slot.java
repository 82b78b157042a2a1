package org.jdistcc.client.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A held slot: the write lock on {@code cpu_<lockName>_<index>}, from {@link SlotLocks#tryAcquire}
 * until {@link #close()}. A remote job keeps its host slot until the server's reply has been read; a
 * local cpp slot is kept only while preprocessing runs.
 *
 * <p>{@link #close()} releases the lock and closes the file; it is idempotent and safe from any
 * thread. The file itself stays, as distcc's do.
 */
public final class Slot implements AutoCloseable {

    private final String lockName;
    private final int index;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Consumer<Path> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    Slot(String lockName, int index, Path file, FileChannel channel, FileLock lock,
            Consumer<Path> onClose) {
        this.lockName = lockName;
        this.index = index;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.onClose = onClose;
    }

    /** The host part of the lock file name, e.g. {@code tcp_10.0.0.1_3632}. */
    public String lockName() {
        return lockName;
    }

    /** The slot number, as the state file and monitor report it. */
    public int index() {
        return index;
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Whether the slot is still held, i.e. not yet closed. */
    public boolean isHeld() {
        return !closed.get() && lock.isValid();
    }

    /**
     * Releases the slot.
     *
     * @throws UncheckedIOException if closing the file fails; the lock is gone even then, since the
     *     kernel drops it with the descriptor
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // Closing the channel releases the lock too; release first to say what we mean.
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("releasing slot " + file + " failed", e);
        } finally {
            onClose.accept(file);
        }
    }

    @Override
    public String toString() {
        return "Slot[" + lockName + "#" + index + (closed.get() ? ", released]" : "]");
    }
}
