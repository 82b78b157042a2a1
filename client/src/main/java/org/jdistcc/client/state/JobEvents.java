package org.jdistcc.client.state;

import org.jdistcc.client.hosts.HostSpec;

/**
 * What the engine tells the monitoring about one job as it goes: the seam between
 * {@code Compilation} and the state file, the fallback log and the metrics. The rule callers keep:
 * calls come from the job's own thread, in the job's order; implementations are quick and never
 * throw (a monitor that cannot write costs nothing but the monitor). Every method does nothing by
 * default, so {@link #NONE} is a complete implementation.
 */
public interface JobEvents {
    /** Events that go nowhere. */
    JobEvents NONE = new JobEvents() {
    };

    /** The job's input file, once the command line has been scanned. */
    default void input(String file) {
    }

    /**
     * The job entered {@code phase}.
     *
     * @param host the host's name as a monitor shows it ({@link TaskState#hostName}), {@code localhost}
     *             for local work, empty when none is chosen yet
     */
    default void phase(Phase phase, String host, int slot) {
    }

    /** Bytes of one remote attempt: the request sent, the answer received (even if cut short). */
    default void transferred(long sent, long received) {
    }

    /** {@code host} was backed off after a failure. */
    default void backedOff(HostSpec host) {
    }

    /** The job could not be distributed and runs locally; {@code why} is its warning's explanation. */
    default void fellBack(FallbackReason reason, String why) {
    }

    /** Where the job's result comes from; the last call wins. */
    default void outcome(Outcome outcome) {
    }
}
