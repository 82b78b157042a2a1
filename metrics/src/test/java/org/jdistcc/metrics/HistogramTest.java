package org.jdistcc.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void observationsFallIntoTheFirstBucketTheyDoNotPassAndBucketsAreCumulative() {
        Histogram h = new Histogram(0.1, 1, 10);
        h.observe(0.1);
        h.observe(0.5);
        h.observe(1);
        h.observe(11);

        Histogram.Snapshot s = h.snapshot();

        assertThat(s.cumulative()).containsExactly(1, 3, 3, 4);
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.sum()).isEqualTo(12.6);
    }

    @Test
    void nanIsIgnored() {
        Histogram h = new Histogram(1);
        h.observe(Double.NaN);
        assertThat(h.snapshot().count()).isZero();
    }

    @Test
    void boundsThatDoNotAscendAreRefused() {
        assertThatThrownBy(() -> new Histogram(1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Histogram(1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
