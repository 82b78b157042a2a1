package org.jdistcc.monitor;

import java.time.Instant;
import java.util.List;
import org.jdistcc.client.state.Fallback;
import org.jdistcc.client.state.StateEntry;

/**
 * Everything the live view shows at one moment, read from {@code DISTCC_DIR} by {@link TopReader}.
 *
 * @param hostsProblem why the host list could not be read, or empty
 */
public record TopSnapshot(Instant now, String distccDir, List<HostRow> hosts, String hostsProblem,
                          List<StateEntry> jobs, List<Fallback> fallbacks) {
    public TopSnapshot {
        hosts = List.copyOf(hosts);
        jobs = List.copyOf(jobs);
        fallbacks = List.copyOf(fallbacks);
    }
}
