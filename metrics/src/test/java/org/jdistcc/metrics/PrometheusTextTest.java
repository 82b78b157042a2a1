package org.jdistcc.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void counterFamilyIsWrittenWithHelpTypeAndLabelledSamples() {
        PrometheusText page = new PrometheusText();
        page.family("jobs_total", PrometheusText.Type.COUNTER, "Jobs finished.");
        page.sample("jobs_total", 3, "outcome", "ok");
        page.sample("jobs_total", 0, "outcome", "error");

        assertThat(page.toString()).isEqualTo("""
                # HELP jobs_total Jobs finished.
                # TYPE jobs_total counter
                jobs_total{outcome="ok"} 3
                jobs_total{outcome="error"} 0
                """);
    }

    @Test
    void histogramIsWrittenAsCumulativeBucketsWithInfSumAndCount() {
        Histogram h = new Histogram(0.005, 2.5);
        h.observe(0.001);
        h.observe(3);
        PrometheusText page = new PrometheusText();
        page.family("wait_seconds", PrometheusText.Type.HISTOGRAM, "Time waited.");
        page.histogram("wait_seconds", h.snapshot(), "host", "a");

        assertThat(page.toString()).isEqualTo("""
                # HELP wait_seconds Time waited.
                # TYPE wait_seconds histogram
                wait_seconds_bucket{host="a",le="0.005"} 1
                wait_seconds_bucket{host="a",le="2.5"} 1
                wait_seconds_bucket{host="a",le="+Inf"} 2
                wait_seconds_sum{host="a"} 3.001
                wait_seconds_count{host="a"} 2
                """);
    }

    @Test
    void helpTextAndLabelValuesAreEscaped() {
        PrometheusText page = new PrometheusText();
        page.family("g", PrometheusText.Type.GAUGE, "a \\ b\nc");
        page.sample("g", 1.5, "file", "x\"y\\z\nw");

        assertThat(page.toString()).isEqualTo("""
                # HELP g a \\\\ b\\nc
                # TYPE g gauge
                g{file="x\\"y\\\\z\\nw"} 1.5
                """);
    }

    @Test
    void valuesAreWholeNumbersPlainDecimalsOrTheSpecials() {
        assertThat(PrometheusText.format(42)).isEqualTo("42");
        assertThat(PrometheusText.format(0.0001)).isEqualTo("0.0001");
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.format(1e20)).isEqualTo("100000000000000000000");
    }

    @Test
    void badNamesAndRepeatedFamiliesAreProgrammingErrors() {
        PrometheusText page = new PrometheusText();
        assertThatThrownBy(() -> page.family("1x", PrometheusText.Type.GAUGE, "")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> page.sample("x", 1, "le", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> page.sample("x", 1, "odd")).isInstanceOf(IllegalArgumentException.class);
        page.family("x", PrometheusText.Type.GAUGE, "");
        assertThatThrownBy(() -> page.family("x", PrometheusText.Type.GAUGE, "")).isInstanceOf(
                IllegalStateException.class);
    }
}
