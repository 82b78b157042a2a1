package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.jdistcc.compiler.GnuHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The masquerade PATH rewrite and the cross-compiler rewrite (reference §2.1, §2.2), on directories
 * built for each test: {@code links/} holds distcc's masquerade links, {@code real/} the compilers.
 */
class CompilerNamesTest {
    private static final String CROSS_GCC = GnuHost.gccPrefix() + "-gcc";

    @TempDir
    Path tmp;

    private Path links;
    private Path real;

    @BeforeEach
    void makeDirectories() throws IOException {
        links = Files.createDirectory(tmp.resolve("links"));
        real = Files.createDirectory(tmp.resolve("real"));
    }

    private Path executable(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path link(Path dir, String name, String target) throws IOException {
        return Files.createSymbolicLink(dir.resolve(name), Path.of(target));
    }

    /** distcc itself, and a masquerade link named gcc pointing at it, as /usr/lib/distcc/gcc does. */
    private Path masqueradeGcc() throws IOException {
        Path distcc = executable(tmp, "distcc");
        return link(links, "gcc", distcc.toString());
    }

    private static String path(Object... entries) {
        return String.join(":", java.util.Arrays.stream(entries).map(Object::toString).toList());
    }

    // --- masquerade ---

    @Test
    void masqueradeWithADirectoryKeepsOnlyThePathAfterIt() throws IOException {
        Path gcc = masqueradeGcc();
        executable(real, "gcc");
        String path = path(links, real, "/usr/bin");

        assertThat(CompilerNames.masqueradePath(gcc.toString(), path, tmp)).contains(path(real, "/usr/bin"));
    }

    @Test
    void masqueradeByBareNameStartsAfterTheFirstDirectoryHoldingThatName() throws IOException {
        masqueradeGcc();
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        executable(real, "gcc");

        assertThat(CompilerNames.masqueradePath("gcc", path(empty, links, real, "/bin"), tmp))
                .contains(path(real, "/bin"));
    }

    @Test
    void masqueradeMatchesADirectoryWrittenDifferentlyOnPath() throws IOException {
        masqueradeGcc();
        // argv[0] relative to the working directory, PATH entry absolute with a trailing slash
        assertThat(CompilerNames.masqueradePath("links/gcc", path(links + "/", real), tmp)).contains(real.toString());
        // and the other way round: PATH entry relative, argv[0] absolute
        assertThat(CompilerNames.masqueradePath(links.resolve("gcc").toString(), path("links", real), tmp))
                .contains(real.toString());
    }

    @Test
    void masqueradeLastOnPathLeavesAnEmptyPath() throws IOException {
        Path gcc = masqueradeGcc();

        assertThat(CompilerNames.masqueradePath(gcc.toString(), path(real, links), tmp)).contains("");
    }

    @Test
    void masqueradeNotOnPathLeavesPathAlone() throws IOException {
        Path gcc = masqueradeGcc();

        assertThat(CompilerNames.masqueradePath(gcc.toString(), path(real, "/usr/bin"), tmp)).isEmpty();
        assertThat(CompilerNames.masqueradePath("gcc", path(Files.createDirectory(tmp.resolve("none"))), tmp))
                .isEmpty();
    }

    @Test
    void masqueradeSkipsADirectoryWhoseFileOfThatNameIsNotExecutable() throws IOException {
        masqueradeGcc();
        Path plain = Files.createDirectory(tmp.resolve("plain"));
        Files.writeString(plain.resolve("gcc"), "not a program");

        assertThat(CompilerNames.masqueradePath("gcc", path(plain, links, real), tmp)).contains(real.toString());
    }

    // --- which ---

    @Test
    void whichFindsTheFirstExecutableOnPath() throws IOException {
        Path first = executable(links, "tool");
        executable(real, "tool");

        assertThat(CompilerNames.which("tool", path(real.resolve("missing"), links, real), tmp)).contains(first);
    }

    @Test
    void whichSkipsFilesThatAreNotExecutableAndDirectories() throws IOException {
        Files.writeString(links.resolve("tool"), "data");
        Files.createDirectory(tmp.resolve("d"));
        Files.createDirectory(tmp.resolve("d").resolve("tool"));
        Path found = executable(real, "tool");

        assertThat(CompilerNames.which("tool", path(links, tmp.resolve("d"), real), tmp)).contains(found);
    }

    @Test
    void whichResolvesRelativeAndEmptyPathEntriesAgainstTheWorkingDirectory() throws IOException {
        Path inCwd = executable(tmp, "here");
        Path inReal = executable(real, "there");

        assertThat(CompilerNames.which("here", ":/usr/bin", tmp)).contains(inCwd);
        assertThat(CompilerNames.which("there", "real", tmp)).contains(inReal);
    }

    @Test
    void whichTakesANameWithASlashAsItIs() throws IOException {
        Path tool = executable(real, "tool");

        assertThat(CompilerNames.which("real/tool", "", tmp)).contains(tool);
        assertThat(CompilerNames.which(tool.toString(), "", tmp)).contains(tool);
        assertThat(CompilerNames.which("links/tool", path(real), tmp)).isEmpty();
    }

    @Test
    void whichFindsNothingForAMissingProgram() {
        assertThat(CompilerNames.which("no-such-compiler", path(links, real), tmp)).isEmpty();
    }

    // --- cross rewrite ---

    private List<String> rewrite(String... argv) {
        return CompilerNames.rewriteCross(List.of(argv), path(real), tmp);
    }

    @Test
    void gccBecomesTheHostPrefixedGccWhenThatIsOnPath() throws IOException {
        executable(real, "gcc");
        executable(real, CROSS_GCC);

        assertThat(rewrite("gcc", "-c", "x.c")).containsExactly(CROSS_GCC, "-c", "x.c");
    }

    @Test
    void gccStaysWhenNoHostPrefixedGccIsOnPath() throws IOException {
        executable(real, "gcc");

        assertThat(rewrite("gcc", "-c", "x.c")).containsExactly("gcc", "-c", "x.c");
    }

    @Test
    void versionedGxxGetsThePrefixToo() throws IOException {
        executable(real, GnuHost.gccPrefix() + "-g++-12");

        assertThat(rewrite("g++-12", "-c", "x.cc")).containsExactly(GnuHost.gccPrefix() + "-g++-12", "-c", "x.cc");
    }

    @Test
    void ccLinkingThroughGccBecomesGccAndThenTheHostPrefixedGcc() throws IOException {
        // Debian's chain: cc -> /etc/alternatives/cc -> gcc -> gcc-12 -> x86_64-linux-gnu-gcc-12
        Path alternatives = Files.createDirectory(tmp.resolve("alternatives"));
        executable(real, CROSS_GCC + "-12");
        link(real, "gcc-12", CROSS_GCC + "-12");
        link(real, "gcc", "gcc-12");
        link(alternatives, "cc", real.resolve("gcc").toString());
        link(real, "cc", "../alternatives/cc");
        executable(real, CROSS_GCC);

        assertThat(rewrite("cc", "-c", "x.c")).containsExactly(CROSS_GCC, "-c", "x.c");
    }

    @Test
    void ccLinkingToGccBecomesGccWhenNoPrefixedGccExists() throws IOException {
        executable(real, "gcc-12");
        link(real, "gcc", "gcc-12");
        link(real, "cc", "gcc");

        assertThat(rewrite("cc", "-c", "x.c")).containsExactly("gcc", "-c", "x.c");
    }

    @Test
    void cxxLinkingToGxxBecomesGxx() throws IOException {
        executable(real, "g++-12");
        link(real, "g++", "g++-12");
        link(real, "c++", real.resolve("g++").toString());

        assertThat(rewrite("c++", "-c", "x.cc")).containsExactly("g++", "-c", "x.cc");
    }

    @Test
    void ccThatIsAPlainProgramStaysCc() throws IOException {
        executable(real, "cc");

        assertThat(rewrite("cc", "-c", "x.c")).containsExactly("cc", "-c", "x.c");
    }

    @Test
    void ccWhoseChainNamesNoGenericCompilerStaysCc() throws IOException {
        executable(real, "tcc");
        link(real, "cc", "tcc");

        assertThat(rewrite("cc", "-c", "x.c")).containsExactly("cc", "-c", "x.c");
    }

    @Test
    void ccThroughALinkLoopStaysCc() throws IOException {
        link(real, "cc", "loop");
        link(real, "loop", "cc");

        assertThat(rewrite("cc", "-c", "x.c")).containsExactly("cc", "-c", "x.c");
    }

    @Test
    void ccLinkingToClangBecomesClangWithTheHostTarget() throws IOException {
        executable(real, "clang-16");
        link(real, "clang", "clang-16");
        link(real, "cc", "clang");

        assertThat(rewrite("cc", "-c", "x.c")).containsExactly("clang", "-c", "x.c", "-target", GnuHost.triple());
    }

    @Test
    void clangGetsTheHostTargetUnlessTheCommandNamesOne() {
        assertThat(rewrite("clang++-16", "-c", "x.cc"))
                .containsExactly("clang++-16", "-c", "x.cc", "-target", GnuHost.triple());
        assertThat(rewrite("clang", "-target", "aarch64-linux-gnu", "-c", "x.c"))
                .containsExactly("clang", "-target", "aarch64-linux-gnu", "-c", "x.c");
    }

    @Test
    void compilerPathsAreNeverRewritten() throws IOException {
        executable(real, "gcc");
        executable(real, CROSS_GCC);
        link(real, "cc", "gcc");

        assertThat(rewrite(real.resolve("gcc").toString(), "-c", "x.c"))
                .containsExactly(real.resolve("gcc").toString(), "-c", "x.c");
        assertThat(rewrite("real/cc", "-c", "x.c")).containsExactly("real/cc", "-c", "x.c");
        assertThat(rewrite("/usr/bin/clang", "-c", "x.c")).containsExactly("/usr/bin/clang", "-c", "x.c");
    }

    @Test
    void otherCompilersAreLeftAlone() throws IOException {
        executable(real, "tcc");

        assertThat(rewrite("tcc", "-c", "x.c")).containsExactly("tcc", "-c", "x.c");
        assertThat(rewrite(CROSS_GCC, "-c", "x.c")).containsExactly(CROSS_GCC, "-c", "x.c");
    }

    @Test
    void genericCompilerBehindAPlainFileIsNothing() throws IOException {
        assertThat(CompilerNames.genericCompilerBehind(executable(real, "gcc"))).isEqualTo(Optional.empty());
    }

    @Test
    void genericCompilerBehindALinkLoopEndsWithNothing() throws IOException {
        link(real, "a", "b");
        link(real, "b", "a");

        assertThat(CompilerNames.genericCompilerBehind(real.resolve("a"))).isEmpty();
    }
}
