package org.jdistcc.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentCompilesTest {
    private static final Instant T0 = Instant.ofEpochSecond(3_000_000);

    @Test
    void jobsOfTheCurrentThreeSecondSlotAreNotCountedYetAsInDistccd() {
        RecentCompiles recent = new RecentCompiles();
        recent.add(T0);

        assertThat(recent.totals(T0)).containsExactly(0, 0, 0);
        assertThat(recent.totals(T0.plusSeconds(3))).containsExactly(1, 1, 1);
    }

    @Test
    void jobsLeaveTheWindowsAfterAboutOneFiveAndFifteenMinutes() {
        RecentCompiles recent = new RecentCompiles();
        recent.add(T0);

        assertThat(recent.totals(T0.plusSeconds(57))).containsExactly(1, 1, 1);
        assertThat(recent.totals(T0.plusSeconds(60))).containsExactly(0, 1, 1);
        assertThat(recent.totals(T0.plusSeconds(300))).containsExactly(0, 0, 1);
        assertThat(recent.totals(T0.plusSeconds(900))).containsExactly(0, 0, 0);
    }

    @Test
    void aLongQuietSpellForgetsEverything() {
        RecentCompiles recent = new RecentCompiles();
        recent.add(T0);
        recent.add(T0.plusSeconds(3600));

        assertThat(recent.totals(T0.plusSeconds(3603))).containsExactly(1, 1, 1);
    }
}
