package org.jdistcc.client.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostListSourceTest {
    @TempDir
    Path temp;

    private Path home;
    private Path sysconf;

    @BeforeEach
    void layout() throws IOException {
        home = Files.createDirectories(temp.resolve("home"));
        sysconf = temp.resolve("etc/distcc/hosts");
        Files.createDirectories(sysconf.getParent());
    }

    @Test
    void distccHostsWinsOverBothFiles() throws Exception {
        writeHomeHosts("from-home");
        Files.writeString(sysconf, "from-etc");

        Optional<HostListSource> found = HostListSource.find(Map.of("DISTCC_HOSTS", "from-env"), home, sysconf);

        assertThat(found).contains(new HostListSource("from-env", "$DISTCC_HOSTS"));
    }

    @Test
    void distccHostsSetButEmptyStillWinsAndThenContainsNoHosts() throws Exception {
        writeHomeHosts("from-home");

        HostListSource source = HostListSource.find(Map.of("DISTCC_HOSTS", ""), home, sysconf).orElseThrow();

        assertThat(source).isEqualTo(new HostListSource("", "$DISTCC_HOSTS"));
        assertThatThrownBy(source::parse)
                .isInstanceOf(BadHostSpecException.class)
                .hasMessage("$DISTCC_HOSTS contained no hosts; can't distribute work");
    }

    @Test
    void homeDotDistccHostsComesBeforeTheSystemFile() throws Exception {
        Path file = writeHomeHosts("red green\n");
        Files.writeString(sysconf, "from-etc");

        HostListSource source = HostListSource.find(Map.of(), home, sysconf).orElseThrow();

        assertThat(source).isEqualTo(new HostListSource("red green\n", file.toString()));
        assertThat(source.parse().hosts()).extracting(HostSpec::token).containsExactly("red", "green");
    }

    @Test
    void distccDirReplacesHomeDotDistcc() throws Exception {
        writeHomeHosts("from-home");
        Path dir = Files.createDirectories(temp.resolve("elsewhere"));
        Files.writeString(dir.resolve("hosts"), "from-distcc-dir");

        HostListSource source = HostListSource.find(Map.of("DISTCC_DIR", dir.toString()), home, sysconf).orElseThrow();

        assertThat(source).isEqualTo(new HostListSource("from-distcc-dir", dir.resolve("hosts").toString()));
    }

    @Test
    void distccDirWithoutHostsFileFallsToTheSystemFileNotToHome() throws Exception {
        writeHomeHosts("from-home");
        Path dir = Files.createDirectories(temp.resolve("empty-dir"));
        Files.writeString(sysconf, "from-etc");

        HostListSource source = HostListSource.find(Map.of("DISTCC_DIR", dir.toString()), home, sysconf).orElseThrow();

        assertThat(source).isEqualTo(new HostListSource("from-etc", sysconf.toString()));
    }

    @Test
    void systemFileIsTheLastResort() throws Exception {
        Files.writeString(sysconf, "# farm\nblue/8,lzo\n");

        HostListSource source = HostListSource.find(Map.of(), home, sysconf).orElseThrow();

        assertThat(source.origin()).isEqualTo(sysconf.toString());
        assertThat(source.parse().hosts()).extracting(HostSpec::token).containsExactly("blue/8,lzo");
    }

    @Test
    void noSourceAtAllIsEmpty() throws Exception {
        assertThat(HostListSource.find(Map.of(), home, sysconf)).isEmpty();
    }

    @Test
    void emptyHostsFileStillWinsAndNamesTheFileWhenItHasNoHosts() throws Exception {
        Path file = writeHomeHosts("# nothing yet\n");
        Files.writeString(sysconf, "from-etc");

        HostListSource source = HostListSource.find(Map.of(), home, sysconf).orElseThrow();

        assertThatThrownBy(source::parse).hasMessage(file + " contained no hosts; can't distribute work");
    }

    @Test
    void unreadableHostsFileIsSkipped() throws Exception {
        Path file = writeHomeHosts("from-home");
        Files.writeString(sysconf, "from-etc");
        boolean changed = file.toFile().setReadable(false, false);
        assumeTrue(changed && !Files.isReadable(file), "running as root: every file is readable");

        assertThat(HostListSource.find(Map.of(), home, sysconf))
                .contains(new HostListSource("from-etc", sysconf.toString()));
    }

    @Test
    void oversizedHostsFileIsAnIoError() throws Exception {
        Path file = writeHomeHosts("a ".repeat(HostListSource.MAX_FILE_BYTES / 2 + 1));

        assertThatThrownBy(() -> HostListSource.find(Map.of(), home, sysconf))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void distccDirDefaultsToHomeDotDistccAndIgnoresAnEmptyValue() {
        assertThat(HostListSource.distccDir(Map.of(), home)).isEqualTo(home.resolve(".distcc"));
        assertThat(HostListSource.distccDir(Map.of("DISTCC_DIR", ""), home)).isEqualTo(home.resolve(".distcc"));
        assertThat(HostListSource.distccDir(Map.of("DISTCC_DIR", "/srv/d"), home)).isEqualTo(Path.of("/srv/d"));
    }

    @Test
    void findDoesNotCreateTheDistccDirectory() throws Exception {
        HostListSource.find(Map.of(), home, sysconf);

        assertThat(home.resolve(".distcc")).doesNotExist();
    }

    private Path writeHomeHosts(String text) throws IOException {
        Path file = home.resolve(".distcc/hosts");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
