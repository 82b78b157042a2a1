package org.jdistcc.client.include;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdistcc.protocol.IncludedFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a spelled path becomes the entries that rebuild it on the server. */
class MirrorTest {
    @TempDir
    Path tmp;
    private Path root;
    private final Mirror mirror = new Mirror(p -> p.startsWith("/usr/include"));

    @BeforeEach
    void realRoot() throws IOException {
        root = tmp.toRealPath();
    }

    @Test
    void aSymlinkedDirectoryOnTheWayIsALinkAndTheFileGoesUnderItsRealName() throws IOException {
        Files.createDirectories(root.resolve("real/sub"));
        Files.writeString(root.resolve("real/sub/x.h"), "x");
        Files.createSymbolicLink(root.resolve("alias"), Path.of("real"));

        mirror.file(root.resolve("alias/sub/x.h"), false, "x".getBytes());

        assertThat(mirror.entries()).containsExactly(
                new IncludedFile.Link(root.resolve("alias").toString(), "real"),
                mirror.entries().get(1));
        assertThat(mirror.entries().get(1).name()).isEqualTo(root.resolve("real/sub/x.h").toString());
    }

    @Test
    void dotDotAfterASymlinkGoesUpFromItsTargetAsTheKernelDoes() throws IOException {
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve("c"));
        Files.writeString(root.resolve("a/y.h"), "y");
        Files.createSymbolicLink(root.resolve("c/link"), root.resolve("a/b"));

        assertThat(mirror.walk(root.resolve("c/link/../y.h").toString())).isEqualTo(root.resolve("a/y.h"));
        assertThat(mirror.entries()).contains(new IncludedFile.Link(root.resolve("c/link").toString(),
                root.resolve("a/b").toString()));
        assertThat(mirror.entries()).anyMatch(e -> e.name().equals(root.resolve("a/b/" + Mirror.FORCING_FILE).toString()));
    }

    @Test
    void aSymlinkLoopIsAnError() throws IOException {
        Files.createSymbolicLink(root.resolve("p"), Path.of("q"));
        Files.createSymbolicLink(root.resolve("q"), Path.of("p"));

        assertThatThrownBy(() -> mirror.walk(root.resolve("p/x.h").toString())).isInstanceOf(IOException.class)
                .hasMessageContaining("too many levels of symbolic links");
    }

    @Test
    void aFileReachedByAnAbsoluteNameStartsWithALineDirectiveNamingIt() throws IOException {
        Files.writeString(root.resolve("z.h"), "int z;\n");

        mirror.file(root.resolve("z.h"), true, "int z;\n".getBytes());

        IncludedFile.Contents c = (IncludedFile.Contents) mirror.entries().get(0);
        assertThat(new String(c.contents())).isEqualTo("#line 1 \"" + root.resolve("z.h") + "\"\nint z;\n");
    }

    @Test
    void aSystemDirectoryIsALinkBackToTheServersOwn() {
        mirror.systemDirectory(Path.of("/usr/include"));

        assertThat(mirror.entries()).containsExactly(new IncludedFile.Link("/usr/include",
                "../".repeat(Mirror.UP_TO_ROOT) + "usr/include"));
        assertThat(Analysis.systemDirectory((IncludedFile.Link) mirror.entries().get(0))).isTrue();
    }
}
