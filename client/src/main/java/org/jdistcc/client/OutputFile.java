package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a compile's outputs so that make never sees half of one: the bytes go to a temporary file
 * beside the target, created with the usual mode (0666 less the umask), which is then renamed over
 * the target. A target that exists and is not a regular file ({@code /dev/null}, a fifo) is written
 * in place, as distcc does. Missing parent directories are created.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** Writes {@code data} to {@code target}. */
    static void write(Path target, byte[] data) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            Files.write(target, data);
            return;
        }
        Path temp = temporaryBeside(target);
        try {
            Files.write(temp, data);
            commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new, empty file in {@code target}'s directory, named so that no build rule matches it. */
    static Path temporaryBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        for (int i = 0; ; i++) {
            String name = "." + target.getFileName() + ".distcc-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp";
            try {
                return Files.createFile(dir.resolve(name));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    /** Renames a finished temporary file over its target. */
    static void commit(Path temp, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target)) {
            Files.write(target, Files.readAllBytes(temp));
            Files.delete(temp);
            return;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
