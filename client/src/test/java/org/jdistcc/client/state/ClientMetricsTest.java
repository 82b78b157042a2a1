package org.jdistcc.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientMetricsTest {
    @Test
    void exposesJobsByOutcomeFallbacksBackoffsInFlightAndBytes() {
        ClientMetrics m = new ClientMetrics(1_700_000_000L);
        m.started();
        m.started();
        m.finished(Outcome.REMOTE);
        m.fellBack(FallbackReason.CONNECT_FAILED);
        m.backedOff("10.0.0.5:3632");
        m.transferred(100, 2000);

        String text = m.exposition();
        assertThat(text).contains("jdistcc_client_jobs_total{outcome=\"remote\"} 1\n",
                "jdistcc_client_jobs_total{outcome=\"fallback\"} 0\n",
                "jdistcc_client_fallbacks_total{reason=\"connect_failed\"} 1\n",
                "jdistcc_client_host_backoffs_total{host=\"10.0.0.5:3632\"} 1\n",
                "jdistcc_client_jobs_in_flight 1\n",
                "jdistcc_client_sent_bytes_total 100\n",
                "jdistcc_client_received_bytes_total 2000\n",
                "# TYPE jdistcc_client_jobs_total counter\n",
                "jdistcc_client_start_time_seconds 1700000000\n");
    }

    @Test
    void theVersionChangesWithEveryValue() {
        ClientMetrics m = new ClientMetrics(0);
        long v = m.version();
        m.transferred(1, 1);
        assertThat(m.version()).isNotEqualTo(v);
    }
}
