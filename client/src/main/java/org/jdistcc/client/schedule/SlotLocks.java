package org.jdistcc.client.schedule;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * distcc's slot lock files ({@code lock.c}): slot {@code i} of a host is the file
 * {@code cpu_<lockName>_<i>} in the {@link LockDirectory}, and whoever holds a write lock on it
 * owns the slot. The files are interchangeable with stock distcc's, so Java and C clients of the
 * same user share one set of slots:
 * <ul>
 *   <li>files are created when missing (empty, mode 0666 minus umask) and never deleted;</li>
 *   <li>a slot is taken with {@link FileChannel#tryLock()}, which on Linux is the same
 *       non-blocking {@code fcntl(F_SETLK)} write lock over the whole file ({@code l_len = 0}) that
 *       stock distcc takes, so each side sees the other's slots as busy;</li>
 *   <li>the kernel drops the lock when the process dies, so a crash never leaks a slot.</li>
 * </ul>
 *
 * <p>fcntl locks belong to the process, not to the channel, and closing <em>any</em> descriptor of
 * a file drops every lock this process holds on it. Within one JVM a second channel on a file that
 * is already locked must therefore never be opened, not even to find it busy: closing it would
 * silently free the first job's slot for other clients while Java still reports the lock as valid.
 * This class keeps one process-wide table of the files it holds and answers "busy" from that table
 * without opening the file. Everything in the JVM that locks slot files must go through this class.
 *
 * <p>Thread-safe. Callers that take two slots keep distcc's order: the remote slot first, the local
 * one second, and release in the reverse order.
 */
public final class SlotLocks {

    /** Slot files held by this JVM, by real path of the lock directory; shared by all instances. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    /** Signalled whenever a slot of this JVM is released; see {@link #RELEASES}. */
    private static final Object RELEASED = new Object();

    /**
     * A {@link Pause} that ends early when any slot held in this JVM is released, so a job waiting in
     * a resident agent takes a freed slot at once instead of sleeping out distcc's pause. Slots held by
     * other processes are still noticed only when the pause runs out.
     */
    public static final Pause RELEASES = atMost -> {
        if (atMost.isPositive()) {
            synchronized (RELEASED) {
                RELEASED.wait(Math.max(1, atMost.toMillis()));
            }
        }
    };

    private static void released(Path file) {
        HELD.remove(file);
        synchronized (RELEASED) {
            RELEASED.notifyAll();
        }
    }

    private final LockDirectory directory;

    public SlotLocks(LockDirectory directory) {
        this.directory = directory;
    }

    /** The lock directory these slots live in. */
    public LockDirectory directory() {
        return directory;
    }

    /** The name of the lock file of slot {@code index} of {@code lockName}. */
    public static String fileName(String lockName, int index) {
        Target.checkLockName(lockName);
        if (index < 0) {
            throw new IllegalArgumentException("negative slot index " + index);
        }
        return "cpu_" + lockName + "_" + index;
    }

    /**
     * Takes slot {@code index} of {@code lockName} if it is free, without waiting.
     *
     * @return the slot, held until it is closed; empty if another process or another job in this
     *     JVM holds it
     * @throws IOException if the lock directory or the lock file cannot be made or opened, or the
     *     lock fails for a reason other than "held by someone else"
     */
    public Optional<Slot> tryAcquire(String lockName, int index) throws IOException {
        String name = fileName(lockName, index);
        Path file = directory.ensure().resolve(name);
        if (!HELD.add(file)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                HELD.remove(file);
                return Optional.empty();
            }
            return Optional.of(new Slot(lockName, index, file, channel, lock, SlotLocks::released));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            HELD.remove(file);
            throw e;
        }
    }

    /**
     * {@code tryLock} reports a lock held by another process as {@code null}; one held by this JVM
     * through a channel we did not open (the table above prevents that for our own) throws
     * {@link OverlappingFileLockException}, which is "busy" as well.
     */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel, Exception pending) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            pending.addSuppressed(e);
        }
    }
}
