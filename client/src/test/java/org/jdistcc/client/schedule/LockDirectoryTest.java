package org.jdistcc.client.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void theDefaultDistccDirIsCreatedWithItsLockSubdirectory() throws IOException {
        Path home = temp.resolve("home");
        Files.createDirectory(home);

        Path lock = LockDirectory.fromEnvironment(Map.of("HOME", home.toString())).ensure();

        assertThat(lock).isEqualTo(home.resolve(".distcc/lock").toRealPath());
        assertThat(lock).isDirectory();
    }

    @Test
    void anExplicitDistccDirThatDoesNotExistIsNotCreatedAndFailsClearly() {
        Path missing = temp.resolve("nowhere");
        LockDirectory directory = LockDirectory.fromEnvironment(Map.of(
                "DISTCC_DIR", missing.toString(), "HOME", temp.toString()));

        assertThatThrownBy(directory::ensure)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("DISTCC_DIR does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void anExplicitDistccDirThatExistsGetsItsLockSubdirectory() throws IOException {
        Path lock = LockDirectory.of(temp, true).ensure();

        assertThat(lock).isEqualTo(temp.resolve("lock").toRealPath()).isDirectory();
    }

    @Test
    void distccDirWinsOverHome() {
        LockDirectory directory = LockDirectory.fromEnvironment(Map.of(
                "DISTCC_DIR", "/x/dd", "HOME", "/home/u"));

        assertThat(directory.path()).contains(Path.of("/x/dd/lock"));
    }

    @Test
    void anEmptyDistccDirCountsAsUnset() {
        LockDirectory directory = LockDirectory.fromEnvironment(Map.of(
                "DISTCC_DIR", "", "HOME", "/home/u"));

        assertThat(directory.path()).contains(Path.of("/home/u/.distcc/lock"));
    }

    @Test
    void withoutDistccDirOrHomeEnsureFailsLikeStock() {
        LockDirectory directory = LockDirectory.fromEnvironment(Map.of());

        assertThat(directory.path()).isEmpty();
        assertThatThrownBy(directory::ensure).isInstanceOf(IOException.class)
                .hasMessageContaining("HOME is not set");
    }

    @Test
    void aFileWhereTheLockDirectoryShouldBeIsAnError() throws IOException {
        Files.writeString(temp.resolve("lock"), "not a directory");

        assertThatThrownBy(() -> LockDirectory.of(temp, true).ensure())
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }
}
