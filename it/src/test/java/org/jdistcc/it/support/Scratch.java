package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A temporary directory tree for one test, removed by {@link #close()}. Every directory in it is
 * mode 0777 and every file world-readable, because a daemon started as root drops to another user
 * ({@code nobody}) that must read the scripts and write the logs, pid files and TMPDIR placed here;
 * JUnit's {@code @TempDir} is mode 0700 and would lock that user out.
 */
public final class Scratch implements AutoCloseable {
    private static final Set<PosixFilePermission> OPEN_DIR = PosixFilePermissions.fromString("rwxrwxrwx");
    private static final Set<PosixFilePermission> SCRIPT = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;

    private Scratch(Path root) {
        this.root = root;
    }

    /** A fresh tree under java.io.tmpdir, named after {@code purpose}. */
    public static Scratch create(String purpose) {
        try {
            Path root = Files.createTempDirectory("jdistcc-it-" + purpose + "-");
            Files.setPosixFilePermissions(root, OPEN_DIR);
            return new Scratch(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** The directory {@code relative} (created, with its parents, mode 0777). */
    public Path dir(String relative) {
        try {
            Path dir = root;
            for (Path part : Path.of(relative)) {
                dir = dir.resolve(part);
                if (!Files.isDirectory(dir)) {
                    Files.createDirectory(dir);
                    Files.setPosixFilePermissions(dir, OPEN_DIR);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty directory whose name starts with {@code prefix} (mode 0777). */
    public Path freshDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(root, prefix);
            Files.setPosixFilePermissions(dir, OPEN_DIR);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code relative}, mode 0644, creating its directory. */
    public Path write(String relative, String text) {
        return writeFile(relative, text, FILE);
    }

    /** Writes an executable script to {@code relative}, mode 0755. */
    public Path script(String relative, String text) {
        return writeFile(relative, text, SCRIPT);
    }

    private Path writeFile(String relative, String text, Set<PosixFilePermission> mode) {
        Path file = root.resolve(relative);
        if (file.getParent() != null && !file.getParent().equals(root)) {
            dir(root.relativize(file.getParent()).toString());
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, mode);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything under {@code dir}, as paths relative to it, sorted; empty if {@code dir} is empty. */
    public static List<String> contents(Path dir) {
        List<String> names = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(dir)) {
                        names.add(dir.relativize(d).toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    names.add(dir.relativize(file).toString());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    return goneMeanwhile(e);
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    return e == null ? FileVisitResult.CONTINUE : goneMeanwhile(e);
                }

                /** A file gone while we looked (the agent's warm-up files come and go) is no error. */
                private FileVisitResult goneMeanwhile(IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names.stream().sorted().toList();
    }

    /** Removes the tree; what cannot be removed (a file a dropped daemon still writes) is left. */
    @Override
    public void close() {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    deleteQuietly(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: a temp directory left behind is not a test failure
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // see close()
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
