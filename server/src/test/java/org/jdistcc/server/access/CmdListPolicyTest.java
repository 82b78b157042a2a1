package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jdistcc.protocol.Printable;

class CmdListPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "gcc,                   /usr/bin/gcc",
        "/usr/bin/gcc,          /usr/bin/gcc",
        "/usr/local/bin/gcc,    /usr/bin/gcc",
        "../../evil/gcc,        /usr/bin/gcc",
        "g++,                   /usr/bin/g++",
        "arm-none-eabi-gcc,     /opt/cross/bin/arm-none-eabi-gcc",
    })
    void oneWordMatchesTheBaseNameAndRunsTheListedPath(String argv0, String command) {
        CmdListPolicy policy = CmdListPolicy.of(
                List.of("/usr/bin/gcc", "/usr/bin/g++", "", "/opt/cross/bin/arm-none-eabi-gcc", "/opt/other/gcc"), 1);
        assertThat(policy.decide(argv0)).isEqualTo(new CompilerDecision.Allowed(command));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "/bin/sh", "", "/usr/bin/", "gcc/", "gcc-12", "GCC"})
    void unlistedNameIsRefused(String argv0) {
        CmdListPolicy policy = CmdListPolicy.of(List.of("/usr/bin/gcc", "/usr/bin/"), 1);
        assertThat(policy.decide(argv0)).isEqualTo(
                new CompilerDecision.Refused("lookup of " + Printable.of(argv0) + " in DISTCC_CMDLIST failed"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/usr/bin/gcc,          /usr/bin/gcc",
        "/usr/local/bin/gcc,    /usr/bin/gcc",
        "bin/gcc,               /usr/bin/gcc",
        "arm/gcc,               /opt/arm/gcc",
        "/home/me/arm/gcc,      /opt/arm/gcc",
    })
    void twoWordsMatchTheLastTwoComponents(String argv0, String command) {
        CmdListPolicy policy = CmdListPolicy.of(List.of("/usr/bin/gcc", "/opt/arm/gcc", "/elsewhere/bin/gcc"), 2);
        assertThat(policy.decide(argv0)).isEqualTo(new CompilerDecision.Allowed(command));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gcc", "/gcc", "sbin/gcc", "/usr/bin/cc"})
    void twoWordsRefuseWhatDiffersInTheLastTwoComponents(String argv0) {
        CmdListPolicy policy = CmdListPolicy.of(List.of("/usr/bin/gcc", "/opt/arm/gcc"), 2);
        assertThat(policy.decide(argv0)).isInstanceOf(CompilerDecision.Refused.class);
    }

    @ParameterizedTest(name = "key({0}, {1}) = ''{2}''")
    @CsvSource(value = {
        "/usr/bin/gcc | 1 | gcc",
        "/usr/bin/gcc | 2 | bin/gcc",
        "/usr/bin/gcc | 3 | usr/bin/gcc",
        "/usr/bin/gcc | 4 | /usr/bin/gcc",
        "/usr/bin/gcc | 9 | /usr/bin/gcc",
        "gcc          | 1 | gcc",
        "gcc          | 2 | gcc",
        "/gcc         | 2 | /gcc",
        "gcc/         | 1 | ''",
    }, delimiter = '|')
    void keyIsTheLastWordsOfThePath(String path, int words, String key) {
        assertThat(CmdListPolicy.key(path, words)).isEqualTo(key);
    }

    @Test
    void readsTheFileAndSkipsBlankLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("commands.allow");
        Files.writeString(file, "/usr/bin/gcc\n\n/usr/bin/clang\n");
        CmdListPolicy policy = CmdListPolicy.read(file, 1);
        assertThat(policy.commands()).containsExactly("/usr/bin/gcc", "/usr/bin/clang");
        assertThat(policy.numWords()).isEqualTo(1);
        assertThat(policy.decide("clang")).isEqualTo(new CompilerDecision.Allowed("/usr/bin/clang"));
    }

    @Test
    void unreadableFileIsAnIoException(@TempDir Path dir) {
        assertThatThrownBy(() -> CmdListPolicy.read(dir.resolve("absent"), 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> CmdListPolicy.read(dir, 1)).isInstanceOf(IOException.class);
    }

    @Test
    void numWordsBelowOneIsRejected() {
        assertThatThrownBy(() -> CmdListPolicy.of(List.of("/usr/bin/gcc"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DISTCC_CMDLIST_NUMWORDS");
    }

    @Test
    void numWordsDefaultsToOneAndMustBeAPositiveNumber() {
        assertThat(CmdListPolicy.parseNumWords(null)).isEqualTo(1);
        assertThat(CmdListPolicy.parseNumWords("2")).isEqualTo(2);
        for (String bad : List.of("", "0", "-1", "two", "1.5", "99999999999")) {
            assertThatThrownBy(() -> CmdListPolicy.parseNumWords(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
