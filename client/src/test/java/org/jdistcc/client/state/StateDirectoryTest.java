package org.jdistcc.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.jdistcc.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path distccDir;

    private final FakeClock clock = FakeClock.atSystemTime();

    @Test
    void aWrittenStateIsReadBackWithWhenItWasWritten() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        dir.write(new TaskState(77, "a.c", "h1", 1, Phase.COMPILE));

        assertThat(distccDir.resolve("state/binstate_77")).hasSize(296);
        var jobs = dir.read(clock, pid -> true);
        assertThat(jobs).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(new TaskState(77, "a.c", "h1", 1, Phase.COMPILE));
            assertThat(e.since()).isEqualTo(Files.getLastModifiedTime(distccDir.resolve("state/binstate_77")).toInstant());
        });
    }

    @Test
    void aPhaseChangeRewritesTheSameFileAndRemoveDeletesIt() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        dir.write(new TaskState(77, "a.c", "", 0, Phase.BLOCKED));
        dir.write(new TaskState(77, "a.c", "h1", 0, Phase.SEND));
        assertThat(dir.read(clock, pid -> true)).extracting(e -> e.state().phase()).containsExactly(Phase.SEND);

        dir.remove(77);
        assertThat(dir.read(clock, pid -> true)).isEmpty();
        dir.remove(77);
    }

    @Test
    void jobsAreSortedByHostThenSlotAndDeadProcessesAreSkipped() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        dir.write(new TaskState(1, "a.c", "zed", 0, Phase.COMPILE));
        dir.write(new TaskState(2, "b.c", "alpha", 1, Phase.COMPILE));
        dir.write(new TaskState(3, "c.c", "alpha", 0, Phase.COMPILE));
        dir.write(new TaskState(4, "d.c", "alpha", 2, Phase.COMPILE));

        assertThat(dir.read(clock, pid -> pid != 4)).extracting(e -> e.state().pid()).containsExactly(3L, 2L, 1L);
    }

    @Test
    void aFileNotWrittenForSixtySecondsIsDeletedAsStockMonitorsDo() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        dir.write(new TaskState(5, "old.c", "h", 0, Phase.COMPILE));
        Path f = distccDir.resolve("state/binstate_5");
        Files.setLastModifiedTime(f, FileTime.from(clock.instant()));
        clock.advance(Duration.ofSeconds(61));

        assertThat(dir.read(clock, pid -> true)).isEmpty();
        assertThat(f).doesNotExist();
    }

    @Test
    void otherFilesAndBadStateFilesAreIgnored() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        dir.write(new TaskState(6, "ok.c", "h", 0, Phase.COMPILE));
        Files.write(distccDir.resolve("state/binstate_7"), new byte[100]);
        Files.writeString(distccDir.resolve("state/fallbacks"), "x\n");

        assertThat(dir.read(clock, pid -> true)).extracting(e -> e.state().pid()).containsExactly(6L);
    }

    @Test
    void aMissingDirectoryHasNoJobsAndIsMadeByTheFirstWrite() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        assertThat(dir.read(clock, pid -> true)).isEmpty();
        dir.write(new TaskState(8, "a.c", "h", 0, Phase.CONNECT));
        assertThat(distccDir.resolve("state")).isDirectory();
    }

    @Test
    void writingUnderAMissingDistccDirFailsWithoutMakingIt() {
        StateDirectory dir = StateDirectory.under(distccDir.resolve("absent"));
        org.assertj.core.api.Assertions.assertThatIOException()
                .isThrownBy(() -> dir.write(new TaskState(8, "a.c", "h", 0, Phase.CONNECT)));
        assertThat(distccDir.resolve("absent")).doesNotExist();
    }

    @Test
    void sinceIsTheFilesTime() throws IOException {
        StateDirectory dir = StateDirectory.under(distccDir);
        dir.write(new TaskState(9, "a.c", "h", 0, Phase.CONNECT));
        Instant t = clock.instant().minusSeconds(10);
        Files.setLastModifiedTime(distccDir.resolve("state/binstate_9"), FileTime.from(t));
        assertThat(dir.read(clock, pid -> true)).singleElement().extracting(StateEntry::since).isEqualTo(t);
    }
}
