package org.jdistcc.client.schedule;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * distcc's host backoff ({@code backoff.c}, {@code timefile.c}): after a host fails, the file
 * {@code backoff_<lockName>_0} in the {@link LockDirectory} is touched, and the host is avoided
 * while that file's mtime is less than the backoff period old. The marks are shared with stock
 * distcc clients of the same user, so a host one of them backed off is avoided here too.
 *
 * <ul>
 *   <li>{@link #mark} opens the file (created if missing, not truncated), writes one byte at the
 *       start, as stock does, and sets the mtime to the injected clock's now.</li>
 *   <li>{@link #clear} removes the file; a missing file is fine.</li>
 *   <li>{@link #isBackedOff} compares in whole seconds, as stock's {@code time_t} arithmetic does:
 *       backed off while {@code now - mtime < period}. A missing file means "not backed off"; an
 *       mtime in the future counts as backed off, as in stock.</li>
 *   <li>A period of zero disables everything: nothing is marked, cleared or checked, and the lock
 *       directory is not even looked at (stock's {@code DISTCC_BACKOFF_PERIOD=0}). Keeping a failed
 *       host out of the rest of its job is {@link HostPicker}'s business, so this does not bring
 *       back stock's infinite retry.</li>
 * </ul>
 * Thread-safe: every call is one file system operation.
 */
public final class Backoff {

    /** distcc's default period: 60 seconds. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(60);

    private static final byte[] MARK = {'x'};

    private final LockDirectory directory;
    private final Duration period;
    private final Clock clock;

    /**
     * @param directory where the marks live
     * @param period how long a mark keeps a host out; whole seconds count, zero disables backoff
     * @param clock the source of "now" for marking and judging
     */
    public Backoff(LockDirectory directory, Duration period, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.period = Objects.requireNonNull(period, "period");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (period.isNegative()) {
            throw new IllegalArgumentException("negative backoff period " + period);
        }
    }

    /**
     * The backoff period from {@code DISTCC_BACKOFF_PERIOD}, in seconds: unset, empty, not a
     * decimal integer or negative means the default of 60 seconds; {@code 0} disables backoff.
     * Stock reads the variable with {@code atoi}, so there a word like {@code "off"} also means 0;
     * we take the default instead, so a typo cannot turn backoff off.
     */
    public static Duration period(Map<String, String> env) {
        String value = env.get("DISTCC_BACKOFF_PERIOD");
        if (value == null) {
            return DEFAULT_PERIOD;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? DEFAULT_PERIOD : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return DEFAULT_PERIOD;
        }
    }

    /** The name of the backoff mark of {@code lockName}. */
    public static String fileName(String lockName) {
        return "backoff_" + Target.checkLockName(lockName) + "_0";
    }

    /** Whether backoff is in effect, i.e. the period is not zero. */
    public boolean enabled() {
        return !period.isZero();
    }

    /** The backoff period. */
    public Duration period() {
        return period;
    }

    /**
     * Whether {@code lockName} was marked less than a period ago; always false when disabled.
     *
     * @throws IOException if the lock directory is unusable or the mark cannot be read; stock
     *     distcc then leaves the host out
     */
    public boolean isBackedOff(String lockName) throws IOException {
        if (!enabled()) {
            return false;
        }
        Path file = directory.ensure().resolve(fileName(lockName));
        if (!Files.exists(file)) {
            return false;   // the usual case, asked without the cost of an exception
        }
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        long ageSeconds = clock.instant().getEpochSecond() - mtime.toInstant().getEpochSecond();
        return ageSeconds < period.getSeconds();
    }

    /**
     * The lock names among {@code lockNames} that are backed off now: the snapshot
     * {@link HostPicker} takes.
     */
    public Set<String> backedOff(Collection<String> lockNames) throws IOException {
        if (!enabled()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String lockName : lockNames) {
            if (isBackedOff(lockName)) {
                out.add(lockName);
            }
        }
        return Set.copyOf(out);
    }

    /** Backs {@code lockName} off from now on; does nothing when disabled. */
    public void mark(String lockName) throws IOException {
        if (!enabled()) {
            return;
        }
        Path file = directory.ensure().resolve(fileName(lockName));
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(MARK), 0);
        }
        Instant now = clock.instant();
        Files.setLastModifiedTime(file, FileTime.from(now));
    }

    /** Removes {@code lockName}'s mark, if any; does nothing when disabled. */
    public void clear(String lockName) throws IOException {
        if (!enabled()) {
            return;
        }
        Path file = directory.ensure().resolve(fileName(lockName));
        // exists() without NOFOLLOW_LINKS asks the file system without building an exception when there
        // is no file, the usual case, once per job
        if (Files.exists(file) || Files.isSymbolicLink(file)) {
            Files.deleteIfExists(file);
        }
    }
}
