package org.jdistcc.client.state;

import java.util.Objects;
import org.jdistcc.client.hosts.HostSpec;

/**
 * What one distcc client process is doing, as its state file says ({@code struct dcc_task_state}):
 * the process, the source file's base name, the host's name (not the whole host spec), the slot it
 * holds on that host, and the phase.
 *
 * @param pid  the client's process id; a monitor shows the job only while that process lives
 * @param file base name of the input file, or empty before it is known
 * @param host host name (for TCP and SSH hosts the name alone, for local work {@code localhost}), or empty
 * @param slot the slot index on that host
 */
public record TaskState(long pid, String file, String host, int slot, Phase phase) {
    /** The host name local work is shown under, as in stock distcc. */
    public static final String LOCALHOST = "localhost";

    public TaskState {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(phase, "phase");
    }

    /** The name a monitor shows for {@code spec}: what stock distcc writes, the host without port or user. */
    public static String hostName(HostSpec spec) {
        return switch (spec) {
            case HostSpec.Local l -> LOCALHOST;
            case HostSpec.Tcp t -> t.host();
            case HostSpec.Ssh s -> s.host();
        };
    }
}
