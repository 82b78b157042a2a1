package org.jdistcc.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistccmonMainTest {
    @Test
    void delayIsPositiveSecondsWithFractions() {
        assertThat(DistccmonMain.delayMillis("2")).isEqualTo(2000);
        assertThat(DistccmonMain.delayMillis("0.25")).isEqualTo(250);
        assertThat(DistccmonMain.delayMillis("0")).isEqualTo(-1);
        assertThat(DistccmonMain.delayMillis("-1")).isEqualTo(-1);
        assertThat(DistccmonMain.delayMillis("fast")).isEqualTo(-1);
    }
}
