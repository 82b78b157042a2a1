package org.jdistcc.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jdistcc.protocol.IncludedFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeRootTest {
    @TempDir
    Path tmp;
    Path outside;
    Path jobs;

    @BeforeEach
    void setUp() throws IOException {
        jobs = Files.createDirectory(tmp.resolve("jobs"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "untouched");
    }

    private static IncludedFile file(String name, String text) {
        return new IncludedFile.Contents(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static IncludedFile link(String name, String target) {
        return new IncludedFile.Link(name, target);
    }

    private FakeRoot root() throws IOException {
        return FakeRoot.create(jobs, false, 1000, new Random(1));
    }

    /** Makes the working directory and all entries, then checks the links, as a pump job does. */
    private void materialise(FakeRoot root, IncludedFile... entries) throws Exception {
        root.makeWorkingDirectory("/home/u/src");
        for (IncludedFile e : entries) {
            root.add(e);
        }
        root.checkLinks();
    }

    private void assertRefused(String reason, IncludedFile... entries) throws Exception {
        try (FakeRoot root = root()) {
            assertThatThrownBy(() -> materialise(root, entries)).isInstanceOf(UnsafeEntryException.class)
                    .hasMessageContaining(reason);
        }
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("untouched");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).containsExactly(outside.resolve("victim"));
        }
        try (Stream<Path> left = Files.list(jobs)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rootIsNamedAsMkdtempNamesItWithMode0700() throws Exception {
        try (FakeRoot root = root()) {
            assertThat(root.dir().getFileName().toString()).matches("distccd_[A-Za-z0-9]{6}");
            assertThat(Files.getPosixFilePermissions(root.dir())).hasToString("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
        }
    }

    @Test
    void filesAndRelativeAndAbsoluteLinksAreMadeBelowTheRoot() throws Exception {
        try (FakeRoot root = root()) {
            materialise(root, file("/home/u/src/hello.c", "int x;"), file("/home/u/src/inc/hello.h", "#define A"),
                    link("/home/u/src/inc/alias.h", "hello.h"), link("/home/u/src/abs.h", "/home/u/src/inc/hello.h"),
                    file("/home/u/src/empty.h", ""));
            Path src = root.realDir().resolve("home/u/src");
            assertThat(Files.readString(src.resolve("inc/alias.h"))).isEqualTo("#define A");
            assertThat(Files.readSymbolicLink(src.resolve("abs.h")))
                    .isEqualTo(Path.of(root.dir() + "/home/u/src/inc/hello.h"));
            assertThat(Files.readString(src.resolve("abs.h"))).isEqualTo("#define A");
            assertThat(src.resolve("empty.h")).isEmptyFile();
        }
        try (Stream<Path> left = Files.list(jobs)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void nameWithDotDotIsRefused() throws Exception {
        assertRefused("'..'", file("/home/u/../../../" + outside + "/victim", "pwned"));
    }

    @Test
    void relativeNameIsRefused() throws Exception {
        assertRefused("not an absolute path", file("home/u/x.h", "x"));
    }

    @Test
    void relativeLinkClimbingAboveTheRootIsRefused() throws Exception {
        assertRefused("leads outside the root", link("/home/u/src/esc", "../../../../../../../../" + outside));
    }

    @Test
    void absoluteLinkWithDotDotIsRefused() throws Exception {
        assertRefused("'..'", link("/home/u/src/esc", "/../../../../" + outside));
    }

    @Test
    void absoluteLinkToEtcPointsAtTheRootsEtcAndWritingThroughItIsRefused() throws Exception {
        try (FakeRoot root = root()) {
            root.makeWorkingDirectory("/home/u/src");
            root.add(link("/home/u/src/etc", "/etc"));
            assertThat(Files.readSymbolicLink(root.realDir().resolve("home/u/src/etc")))
                    .isEqualTo(Path.of(root.dir() + "/etc"));
            assertThatThrownBy(() -> root.add(file("/home/u/src/etc/passwd", "pwned")))
                    .isInstanceOf(UnsafeEntryException.class).hasMessageContaining("link that leads nowhere");
        }
        assertThat(Path.of("/etc/passwd")).content().doesNotContain("pwned");
    }

    @Test
    void fileWrittenThroughALinkThatEscapesIsRefused() throws Exception {
        // The system directory form passes the first check and leads outside, so nothing may be written below it.
        Path sys = outside.toRealPath();
        String up = "../".repeat(20);
        assertRefused("leads outside the root",
                link(sys.toString(), up + sys.toString().substring(1)), file(sys + "/victim", "pwned"));
    }

    @Test
    void linksChainedToEscapeAfterResolutionAreRefused() throws Exception {
        // /a/b -> .. is fine on its own; /a/b/c is made through it at the root; ../x from there climbs out.
        assertRefused("outside the root", link("/a/b", ".."), link("/a/b/c", "../x"));
        // a link made in-root whose target later becomes an escaping system directory link
        assertRefused("resolves outside the root", link("/home/u/src/l", "/sys"),
                link("/sys", "../".repeat(20) + "sys"));
    }

    @Test
    void systemDirectoryLinkLeadsToTheServersOwnDirectory() throws Exception {
        Path sys = outside.toRealPath();
        try (FakeRoot root = root()) {
            materialise(root, link(sys.toString(), "../".repeat(20) + sys.toString().substring(1)));
            assertThat(root.realDir().resolve(sys.toString().substring(1)).resolve("victim").toRealPath())
                    .isEqualTo(sys.resolve("victim"));
        }
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("untouched");
    }

    @Test
    void systemDirectoryFormLeadingElsewhereIsRefused() throws Exception {
        // from $TMPDIR/jobs/distccd_X, ../../outside is the test's own directory, not /outside
        assertRefused("does not lead to that directory", link("/outside", "../../outside"));
    }

    @Test
    void danglingLinkIsRemovedSoNothingCanBeCreatedThroughIt() throws Exception {
        try (FakeRoot root = root()) {
            materialise(root, link("/home/u/src/hello.i", "nowhere/x"));
            assertThat(root.realDir().resolve("home/u/src/hello.i")).doesNotExist();
        }
    }

    @Test
    void duplicateNameIsRefused() throws Exception {
        assertRefused("already made", file("/home/u/src/x.h", "1"), file("/home/u/src/x.h", "2"));
        assertRefused("already made", file("/home/u/src/x.h", "1"), link("/home/u/src/x.h", "y.h"));
    }

    @Test
    void nameThatIsADirectoryIsRefused() throws Exception {
        assertRefused("already made", file("/home/u/src", "over the working directory"));
        assertRefused("already made", file("/home/u/inc/x.h", "1"), file("/home/u/inc", "2"));
        assertRefused("names the root itself", file("/", "x"));
    }

    @Test
    void nameBelowAFileIsRefused() throws Exception {
        assertRefused("made a file", file("/home/u/x.h", "1"), file("/home/u/x.h/y.h", "2"));
    }

    @Test
    void tooManyDirectoriesAreRefused() throws Exception {
        try (FakeRoot root = FakeRoot.create(jobs, false, 5, new Random(1))) {
            assertThatThrownBy(() -> root.add(file("/a/b/c/d/e/f/g.h", "x"))).isInstanceOf(UnsafeEntryException.class)
                    .hasMessageContaining("more than 5 directories");
        }
        try (Stream<Path> left = Files.list(jobs)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void closeRemovesLinksNotWhatTheyPointAt() throws Exception {
        Path sys = outside.toRealPath();
        try (FakeRoot root = root()) {
            materialise(root, link(sys.toString(), "../".repeat(20) + sys.toString().substring(1)));
        }
        assertThat(List.of(Files.readString(outside.resolve("victim")))).containsExactly("untouched");
    }
}
