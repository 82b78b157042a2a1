package org.jdistcc.client.schedule;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The directory {@code <DISTCC_DIR>/lock} that holds slot lock files and backoff marks, shared
 * with every stock distcc client of the same user on this machine.
 *
 * <p>Creation follows {@code tempfile.c}: the default {@code ~/.distcc} is created when missing
 * (one level, mode 0777 minus umask), but a {@code DISTCC_DIR} that was set explicitly is not; the
 * {@code lock} subdirectory is then created inside whichever it is. So with an explicit
 * {@code DISTCC_DIR} that does not exist, {@link #ensure()} fails with an {@link IOException} that
 * says so. Stock distcc then drops the host and falls back (or exits 116); callers should treat
 * the exception the same way. Nothing is touched until {@link #ensure()}; once it succeeded, the
 * result is remembered, as in stock.
 */
public final class LockDirectory {

    private final Optional<Path> distccDir;
    private final boolean explicit;
    private volatile Path ensured;

    private LockDirectory(Optional<Path> distccDir, boolean explicit) {
        this.distccDir = distccDir;
        this.explicit = explicit;
    }

    /**
     * The lock directory below {@code distccDir}.
     *
     * @param explicit true when {@code distccDir} came from {@code DISTCC_DIR}, so it must already
     *     exist; false for the default {@code ~/.distcc}, which is created when missing
     */
    public static LockDirectory of(Path distccDir, boolean explicit) {
        return new LockDirectory(Optional.of(distccDir), explicit);
    }

    /**
     * The lock directory distcc uses for this environment: {@code $DISTCC_DIR/lock} when
     * {@code DISTCC_DIR} is set and not empty, else {@code $HOME/.distcc/lock}. With neither set,
     * {@link #ensure()} fails as stock does ("HOME is not set"). An empty {@code DISTCC_DIR} counts
     * as unset here; stock would take it literally and use {@code /lock}.
     */
    public static LockDirectory fromEnvironment(Map<String, String> env) {
        String dir = env.get("DISTCC_DIR");
        if (dir != null && !dir.isEmpty()) {
            return of(Path.of(dir), true);
        }
        String home = env.get("HOME");
        if (home != null && !home.isEmpty()) {
            return of(Path.of(home, ".distcc"), false);
        }
        return new LockDirectory(Optional.empty(), false);
    }

    /** The lock directory's path, whether or not it exists yet; empty when HOME is unknown. */
    public Optional<Path> path() {
        return distccDir.map(dir -> dir.resolve("lock"));
    }

    /**
     * Makes sure the lock directory exists and returns its real path (symbolic links resolved).
     *
     * @throws IOException if there is no distcc directory, an explicit {@code DISTCC_DIR} does not
     *     exist, or a directory cannot be created
     */
    public Path ensure() throws IOException {
        Path done = ensured;
        if (done != null) {
            return done;
        }
        if (distccDir.isEmpty()) {
            throw new IOException("HOME is not set; can't find distcc directory");
        }
        Path top = distccDir.get();
        if (explicit) {
            if (!Files.isDirectory(top)) {
                throw new NoSuchFileException(top.toString(), null,
                        "DISTCC_DIR does not exist (distcc does not create an explicit DISTCC_DIR)");
            }
        } else {
            createOneLevel(top);
        }
        // The real path, so that one file has one name in SlotLocks' table of held slots.
        Path lock = createOneLevel(top.resolve("lock")).toRealPath();
        ensured = lock;
        return lock;
    }

    private static Path createOneLevel(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;   // the usual case, asked without the cost of an exception
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " exists but is not a directory", e);
            }
        }
        return dir;
    }

    @Override
    public String toString() {
        return path().map(Path::toString).orElse("(no distcc directory: HOME is not set)");
    }
}
