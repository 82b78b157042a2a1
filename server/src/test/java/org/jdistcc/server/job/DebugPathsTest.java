package org.jdistcc.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugPathsTest {
    @TempDir
    Path tmp;

    /** Compiles x.c with real gcc inside ROOT/home/u/src, as a pump job runs, and returns the object. */
    private byte[] compile(Path root, String... flags) throws IOException, InterruptedException {
        Path src = Files.createDirectories(root.resolve("home/u/src"));
        Files.writeString(src.resolve("x.c"), "int answer(void) { return 42; }\n");
        List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-c", "x.c", "-o", "x.o"));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).directory(src.toFile()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return Files.readAllBytes(src.resolve("x.o"));
    }

    private static int count(byte[] hay, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        int c = 0;
        for (int i = 0; i + n.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + n.length, n, 0, n.length)) {
                c++;
            }
        }
        return c;
    }

    @Test
    void rootInGccsDwarf5LineStringsBecomesSlashesOfTheSameLength() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("distccd_AbC123")).toRealPath();
        byte[] object = compile(root, "-g");
        int before = object.length;
        assertThat(count(object, root.toString())).isPositive();

        int replaced = DebugPaths.rewrite(object, root.toString());

        assertThat(replaced).isPositive();
        assertThat(object).hasSize(before);
        assertThat(count(object, root.toString())).isZero();
        assertThat(count(object, "/".repeat(root.toString().length()) + "/home/u/src")).isPositive();
    }

    @Test
    void dwarf4ObjectIsRewrittenToo() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("distccd_DeF456")).toRealPath();
        byte[] object = compile(root, "-gdwarf-4");
        DebugPaths.rewrite(object, root.toString());
        assertThat(count(object, root.toString())).isZero();
    }

    @Test
    void objectWithoutDebugInformationIsUnchanged() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("distccd_GhI789")).toRealPath();
        byte[] object = compile(root);
        byte[] copy = object.clone();
        assertThat(DebugPaths.rewrite(object, root.toString())).isZero();
        assertThat(object).isEqualTo(copy);
    }

    @Test
    void rootOutsideTheDebugSectionsIsLeftAlone() {
        byte[] notElf = "/tmp/distccd_AbC123/x".getBytes(StandardCharsets.US_ASCII);
        assertThat(DebugPaths.rewrite(notElf, "/tmp/distccd_AbC123")).isZero();
        assertThat(new String(notElf, StandardCharsets.US_ASCII)).isEqualTo("/tmp/distccd_AbC123/x");
    }

    @Test
    void truncatedOrCorruptElfIsLeftAloneWithoutFailing() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("distccd_JkL012")).toRealPath();
        byte[] object = compile(root, "-g");
        for (int cut : new int[] {4, 20, 60, 64, object.length / 2, object.length - 1}) {
            byte[] truncated = Arrays.copyOf(object, cut);
            DebugPaths.rewrite(truncated, root.toString());
        }
        byte[] garbage = object.clone();
        for (int i = 0x28; i < 0x40; i++) {
            garbage[i] = (byte) 0xff;
        }
        assertThat(DebugPaths.rewrite(garbage, root.toString())).isZero();
    }
}
