package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscrepanciesTest {
    @TempDir
    Path dir;

    @Test
    void oneDiscrepancyEndsPumpModeByDefault() throws Exception {
        Discrepancies d = new Discrepancies();
        assertThat(d.exceeded(Map.of())).isFalse();
        d.record(Map.of());
        assertThat(d.exceeded(Map.of())).isTrue();
    }

    @Test
    void theLimitComesFromDistccMaxDiscrepancyAndJunkMeansOne() throws Exception {
        assertThat(Discrepancies.limit(Map.of("DISTCC_MAX_DISCREPANCY", "3"))).isEqualTo(3);
        assertThat(Discrepancies.limit(Map.of("DISTCC_MAX_DISCREPANCY", "0"))).isEqualTo(1);
        assertThat(Discrepancies.limit(Map.of("DISTCC_MAX_DISCREPANCY", "x"))).isEqualTo(1);
        Discrepancies d = new Discrepancies();
        Map<String, String> env = Map.of("DISTCC_MAX_DISCREPANCY", "2");
        d.record(env);
        assertThat(d.exceeded(env)).isFalse();
        d.record(env);
        assertThat(d.exceeded(env)).isTrue();
    }

    @Test
    void underPumpTheCountIsTheStockCounterFileBesideTheSocket() throws Exception {
        Map<String, String> env = Map.of("INCLUDE_SERVER_PORT", dir.resolve("socket").toString());
        Discrepancies d = new Discrepancies();
        d.record(env);
        assertThat(Files.readString(dir.resolve("discrepancy_counter"))).isEqualTo("@");
        assertThat(d.exceeded(env)).isTrue();
        assertThat(new Discrepancies().exceeded(Map.of())).as("another build is not affected").isFalse();
    }
}
