package org.jdistcc.client.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RehearsalTest {
    @TempDir
    Path agentDir;

    @Test
    void everyRehearsalJobIsCompiledByTheLoopbackStandInAndNoFileIsLeftBehind() throws Exception {
        int done = new Rehearsal(agentDir, 12, Duration.ofMinutes(1), Clock.systemUTC()).perform();

        assertThat(done).isEqualTo(12);
        try (var left = Files.list(agentDir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rehearsalStopsWhenItsTimeBudgetIsSpent() throws Exception {
        int done = new Rehearsal(agentDir, 1_000, Duration.ZERO, Clock.systemUTC()).perform();

        assertThat(done).isZero();
        try (var left = Files.list(agentDir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aRehearsalDirectoryLeftByAKilledAgentIsClearedFirst() throws Exception {
        Path stale = Files.createDirectories(agentDir.resolve("rehearsal/src"));
        Files.writeString(stale.resolve("job0.o"), "half");

        int done = new Rehearsal(agentDir, 2, Duration.ofMinutes(1), Clock.systemUTC()).perform();

        assertThat(done).isEqualTo(2);
        assertThat(agentDir.resolve("rehearsal")).doesNotExist();
    }
}
