package org.jdistcc.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemFiguresTest {
    @TempDir
    Path proc;

    private void stat(String pid, String name, char state, long rssPages) throws IOException {
        Files.createDirectories(proc.resolve(pid));
        StringBuilder fields = new StringBuilder();
        for (int field = 4; field <= 23; field++) {
            fields.append(' ').append(field);
        }
        Files.writeString(proc.resolve(pid).resolve("stat"),
                pid + " (" + name + ") " + state + fields + " " + rssPages + " 25 26\n");
    }

    @Test
    void loadAveragesAndRunningTasksComeFromLoadavg() throws IOException {
        Files.writeString(proc.resolve("loadavg"), "0.61 0.89 1.23 4/567 1234\n");

        SystemFigures.Load load = new SystemFigures(proc, proc, 4096).load();

        assertThat(load.averages()).containsExactly(0.61, 0.89, 1.23);
        assertThat(load.running()).isEqualTo(4);
    }

    @Test
    void processesInStateDAreCountedAndTheLargestResidentSetNamedWithItsParentheses() throws IOException {
        stat("1", "init", 'S', 100);
        stat("20", "cc1 plus", 'D', 5000);
        stat("300", "java", 'D', 200);
        Files.createDirectories(proc.resolve("self"));

        SystemFigures.Processes p = new SystemFigures(proc, proc, 4096).processes();

        assertThat(p.stateD()).isEqualTo(2);
        assertThat(p.maxRssKb()).isEqualTo(20000);
        assertThat(p.maxRssName()).isEqualTo("(cc1 plus)");
    }

    @Test
    void diskSectorsCountOnlyTheWholeDisksDistccdCounts() throws IOException {
        Files.writeString(proc.resolve("diskstats"), """
                   8       0 sda 100 0 1000 0 50 0 500 0 0 0 0
                   8       1 sda1 100 0 1000 0 50 0 500 0 0 0 0
                 253       0 vda 100 0 7777 0 50 0 7777 0 0 0 0
                """);

        assertThat(new SystemFigures(proc, proc, 4096).diskSectors()).isEqualTo(1500);
    }

    @Test
    void missingFilesGiveZeroFigures() {
        SystemFigures none = new SystemFigures(proc.resolve("absent"), proc, 4096);

        assertThat(none.load().running()).isZero();
        assertThat(none.processes().maxRssKb()).isZero();
        assertThat(none.diskSectors()).isZero();
        assertThat(none.freeSpaceMb()).isPositive();
    }
}
