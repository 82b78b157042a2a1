package org.jdistcc.server.job;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A job's private temporary directory ({@code $TMPDIR/distccd_XXXXXXXX}, mode 0700). The compiler
 * runs inside it with TMPDIR pointing at it, so everything the job or its compiler writes, stray
 * {@code -save-temps} files included, is removed by {@link #close()}: on success, compiler error,
 * disconnect, timeout and kill alike.
 */
final class Workspace implements AutoCloseable {
    private final Path dir;
    private final boolean keep;

    private Workspace(Path dir, boolean keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /** Creates a fresh directory under {@code tmp}; {@code keep} leaves it behind (DISTCC_SAVE_TEMPS=1). */
    static Workspace create(Path tmp, boolean keep) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "distccd_",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new Workspace(dir, keep);
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() throws IOException {
        if (!keep) {
            removeTree(dir);
        }
    }

    /**
     * Removes {@code dir} and everything below it; links are removed as links (walkFileTree does not
     * follow them), never what they point at. Nothing to do if it is gone.
     */
    static void removeTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
