package org.jdistcc.client.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * {@code $DISTCC_DIR/state}: one file {@code binstate_<pid>} per client process, rewritten in place
 * at every phase change and removed when the job ends, exactly as stock distcc keeps it, so stock
 * and jdistcc monitors see stock and jdistcc clients alike. Other files in the directory (our
 * {@link FallbackLog}) are ignored by both monitors.
 */
public final class StateDirectory {
    /** The prefix of state files; monitors ignore anything else. */
    public static final String PREFIX = "binstate_";
    /** A state file not written for this long is taken as left over and deleted, as by mon.c. */
    public static final Duration STALE = Duration.ofSeconds(60);

    private final Path dir;

    public StateDirectory(Path dir) {
        this.dir = dir;
    }

    /** The state directory of {@code distccDir}. */
    public static StateDirectory under(Path distccDir) {
        return new StateDirectory(distccDir.resolve("state"));
    }

    public Path path() {
        return dir;
    }

    Path file(long pid) {
        return dir.resolve(PREFIX + pid);
    }

    /**
     * Writes {@code state} to its process's file, from offset 0 as stock does. The directory is made
     * when missing, but not {@code DISTCC_DIR} above it.
     */
    public void write(TaskState state) throws IOException {
        byte[] bytes = TaskStateCodec.encode(state);
        Path f = file(state.pid());
        try {
            writeAt0(f, bytes);
        } catch (NoSuchFileException e) {
            makeLeaf(dir);
            writeAt0(f, bytes);
        }
    }

    /** Makes {@code dir} if missing, but not its parent. */
    static void makeLeaf(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException ignored) {
            // made meanwhile by another job
        }
    }

    private static void writeAt0(Path f, byte[] bytes) throws IOException {
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long pos = 0;
            while (b.hasRemaining()) {
                pos += c.write(b, pos);
            }
        }
    }

    /** Removes the file of process {@code pid}, if there is one. */
    public void remove(long pid) throws IOException {
        Files.deleteIfExists(file(pid));
    }

    /**
     * The jobs in flight, by the rules of 3.4's monitor ({@code mon.c}): a file not written for
     * {@link #STALE} is deleted; one of the wrong size or magic is skipped; one whose process is gone
     * is skipped; the rest are sorted by host, then slot. A missing directory means no jobs.
     *
     * @param alive whether a process id names a live process ({@code kill(pid, 0)})
     */
    public List<StateEntry> read(Clock clock, LongPredicate alive) throws IOException {
        List<StateEntry> entries = new ArrayList<>();
        Instant now = clock.instant();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path f : files) {
                readOne(f, now).filter(e -> alive.test(e.state().pid())).ifPresent(entries::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        entries.sort(Comparator.comparing((StateEntry e) -> e.state().host()).thenComparingInt(e -> e.state().slot()));
        return entries;
    }

    private static Optional<StateEntry> readOne(Path f, Instant now) {
        try {
            Instant since = Files.getLastModifiedTime(f).toInstant();
            if (since.plus(STALE).isBefore(now)) {
                Files.deleteIfExists(f);
                return Optional.empty();
            }
            if (Files.size(f) != TaskStateCodec.SIZE) {
                return Optional.empty();
            }
            return TaskStateCodec.decode(Files.readAllBytes(f)).map(s -> new StateEntry(s, since));
        } catch (IOException e) {
            // gone meanwhile (the job ended) or unreadable: not a job to show
            return Optional.empty();
        }
    }
}
