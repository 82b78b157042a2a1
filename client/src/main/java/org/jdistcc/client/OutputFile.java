package org.jdistcc.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a compile's outputs so that make never sees half of one: the bytes go to a temporary file
 * beside the target, created with the usual mode (0666 less the caller's umask), which is then
 * renamed over the target. A target that exists and is not a regular file ({@code /dev/null}, a fifo) is written
 * in place, as distcc does. Missing parent directories are created.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** Writes {@code data} to {@code target}; {@code umask} -1 means this process's own. */
    static void write(Path target, byte[] data, int umask) throws IOException {
        // one stat when the target is a regular file or there is none: this runs once per job
        if (!Files.isRegularFile(target) && Files.exists(target)) {
            Files.write(target, data);
            return;
        }
        Path temp = create(target, umask, data);
        boolean committed = false;
        try {
            move(temp, target);
            committed = true;
        } finally {
            if (!committed) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * A new, empty file in {@code target}'s directory, named so that no build rule matches it, with
     * mode 0666 less {@code umask} (-1: less this process's own umask, as any new file).
     */
    static Path temporaryBeside(Path target, int umask) throws IOException {
        return create(target, umask, new byte[0]);
    }

    /** A new file beside {@code target} holding {@code data}, as {@link #temporaryBeside} names it. */
    private static Path create(Path target, int umask, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        for (int i = 0; ; i++) {
            Path temp = dir.resolve("." + target.getFileName() + ".distcc-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                try {
                    ByteBuffer bytes = ByteBuffer.wrap(data);
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    if (umask >= 0) {
                        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode(0666 & ~umask)));
                    }
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temp);
                    throw e;
                }
                return temp;
            } catch (NoSuchFileException e) {
                if (i > 0 || Files.isDirectory(dir)) {
                    throw e;
                }
                Files.createDirectories(dir); // a missing parent is made, as distcc does
            } catch (FileAlreadyExistsException e) {
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    /** "rw-r--r--" for 0644. */
    private static String mode(int bits) {
        StringBuilder sb = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = bits >> shift;
            sb.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    /** Renames a finished temporary file over its target. */
    static void commit(Path temp, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target)) {
            Files.write(target, Files.readAllBytes(temp));
            Files.delete(temp);
            return;
        }
        move(temp, target);
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
