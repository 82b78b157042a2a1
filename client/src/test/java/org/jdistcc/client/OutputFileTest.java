package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are written so that a reader never sees half of one (reference §2.5 step 8). */
class OutputFileTest {
    @TempDir
    Path tmp;

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
    }

    @Test
    void newOutputHoldsExactlyTheBytesAndNoTemporaryFileIsLeft() throws IOException {
        byte[] data = {0, 1, 2, (byte) 0xff, 10};
        Path out = tmp.resolve("x.o");

        OutputFile.write(out, data, -1);

        assertThat(Files.readAllBytes(out)).isEqualTo(data);
        assertThat(names(tmp)).containsExactly("x.o");
    }

    @Test
    void emptyOutputIsAnEmptyFile() throws IOException {
        Path out = tmp.resolve("empty.o");

        OutputFile.write(out, new byte[0], -1);

        assertThat(out).isRegularFile().isEmptyFile();
    }

    @Test
    void existingOutputIsReplacedByANewFile() throws IOException {
        Path out = tmp.resolve("x.o");
        Files.writeString(out, "old object, longer than the new one");
        Object before = inode(out);

        OutputFile.write(out, new byte[] {42}, -1);

        assertThat(Files.readAllBytes(out)).containsExactly(42);
        assertThat(inode(out)).as("a new file, renamed over the old one").isNotEqualTo(before);
        assertThat(names(tmp)).containsExactly("x.o");
    }

    @Test
    void existingTargetKeepsItsContentUntilTheNewOneIsComplete() throws IOException {
        Path out = tmp.resolve("x.o");
        Files.writeString(out, "old");

        Path temp = OutputFile.temporaryBeside(out, -1);
        Files.writeString(temp, "new, written in pieces");
        assertThat(Files.readString(out)).as("before the commit").isEqualTo("old");
        assertThat(temp.getParent()).isEqualTo(out.getParent());
        assertThat(temp.getFileName().toString()).startsWith(".x.o.").endsWith(".tmp");

        OutputFile.commit(temp, out);

        assertThat(Files.readString(out)).isEqualTo("new, written in pieces");
        assertThat(names(tmp)).containsExactly("x.o");
    }

    @Test
    @Timeout(60)
    void concurrentReaderSeesTheOldOrTheNewOutputButNeverPartOfOne() throws Exception {
        Path out = tmp.resolve("big.o");
        int size = 2 << 20;
        byte[] first = new byte[size];
        Arrays.fill(first, (byte) 'a');
        OutputFile.write(out, first, -1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get() && torn.get() == null) {
                try {
                    byte[] seen = Files.readAllBytes(out);
                    if (seen.length != size || seen[0] != seen[size - 1] || seen[0] != seen[size / 2]) {
                        torn.set("read " + seen.length + " bytes, first " + (seen.length > 0 ? seen[0] : -1));
                    }
                } catch (NoSuchFileException e) {
                    torn.set("the output was missing for a moment");
                } catch (IOException e) {
                    torn.set(e.toString());
                }
            }
        });
        try {
            for (int round = 0; round < 30 && torn.get() == null; round++) {
                byte[] next = new byte[size];
                Arrays.fill(next, (byte) ('b' + round % 20));
                OutputFile.write(out, next, -1);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(torn.get()).as("what the reader saw").isNull();
    }

    @Test
    void devNullIsWrittenInPlace() throws IOException {
        Path devNull = Path.of("/dev/null");
        Object before = inode(devNull);

        OutputFile.write(devNull, new byte[] {1, 2, 3}, -1);

        assertThat(Files.isRegularFile(devNull)).isFalse();
        assertThat(inode(devNull)).isEqualTo(before);
    }

    @Test
    void missingParentDirectoriesAreCreated() throws IOException {
        Path out = tmp.resolve("a/b/c/x.o");

        OutputFile.write(out, new byte[] {7}, -1);

        assertThat(Files.readAllBytes(out)).containsExactly(7);
        assertThat(names(tmp.resolve("a/b/c"))).containsExactly("x.o");
    }

    @Test
    void modeIsThatOfAnyNewFileUnderTheUmask() throws IOException {
        // a file created the ordinary way gets 0666 less the umask; the output must get the same
        Path probe = Files.createFile(tmp.resolve("probe"));
        Set<PosixFilePermission> normal = Files.getPosixFilePermissions(probe);
        Path out = tmp.resolve("x.o");

        OutputFile.write(out, new byte[] {1}, -1);

        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(normal);
        assertThat(normal).doesNotContain(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void replacedOutputDoesNotInheritTheOldFilesMode() throws IOException {
        Path probe = Files.createFile(tmp.resolve("probe"));
        Path out = tmp.resolve("x.o");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r--------"));

        OutputFile.write(out, new byte[] {1}, -1);

        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(probe));
    }

    @Test
    void outputThroughASymbolicLinkReplacesTheLinkAsDistccsUnlinkDoes() throws IOException {
        Path real = tmp.resolve("real.o");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(tmp.resolve("x.o"), real);

        OutputFile.write(link, new byte[] {9}, -1);

        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readAllBytes(link)).containsExactly(9);
        assertThat(Files.readString(real)).isEqualTo("old");
    }
}
