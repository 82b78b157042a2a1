package org.jdistcc.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BusyAverageTest {
    private static final Instant T0 = Instant.ofEpochSecond(1_000_000);

    @Test
    void twoJobsRunningThroughTheMinuteBeforeLastCountTwo() {
        BusyAverage busy = new BusyAverage();
        busy.averages(T0);
        busy.add(T0.minusSeconds(10), T0.plusSeconds(70));
        busy.add(T0.minusSeconds(10), T0.plusSeconds(70));

        // sampled at T0+120: the minute from T0 to T0+60, which both jobs covered
        assertThat(busy.averages(T0.plusSeconds(120))).containsExactly(2, 0, 0);
    }

    @Test
    void theFiguresAreRecomputedAtMostOnceAMinute() {
        BusyAverage busy = new BusyAverage();
        assertThat(busy.averages(T0)).containsExactly(0, 0, 0);
        busy.add(T0.minusSeconds(100), T0.minusSeconds(1));

        assertThat(busy.averages(T0.plusSeconds(59))).containsExactly(0, 0, 0);
        assertThat(busy.averages(T0.plusSeconds(60))).containsExactly(0, 0, 0);
    }

    @Test
    void fiveAndFifteenMinuteFiguresAverageTheLastSamplesInWholeNumbers() {
        BusyAverage busy = new BusyAverage();
        int[] last = null;
        for (int minute = 0; minute < 5; minute++) {
            Instant now = T0.plusSeconds(60L * minute);
            // minute + 1 jobs that ran through the whole sampled minute, from now-119 to now-60
            for (int job = 0; job <= minute; job++) {
                busy.add(now.minusSeconds(119), now.minusSeconds(60));
            }
            last = busy.averages(now);
        }
        // samples 1, 2, 3, 4, 5
        assertThat(last).containsExactly(5, 15 / 5, 15 / 15);
    }
}
