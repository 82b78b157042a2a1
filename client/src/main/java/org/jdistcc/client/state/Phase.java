package org.jdistcc.client.state;

import java.util.Optional;

/**
 * The phase of a job as distcc's monitor knows it ({@code enum dcc_phase} in 3.4): the code is what
 * the state file holds, the name what {@code distccmon-text} prints. The order is the job's order.
 */
public enum Phase {
    STARTUP("Startup"),
    /** Waiting for a free slot on any host. */
    BLOCKED("Blocked"),
    CONNECT("Connect"),
    /** Preprocessing, locally; distcc's DCC_PHASE_CPP. */
    CPP("Preprocess"),
    SEND("Send"),
    /** On the remote host, or a local compile (host {@code localhost}). */
    COMPILE("Compile"),
    RECEIVE("Receive"),
    DONE("Done");

    private final String displayName;

    Phase(String displayName) {
        this.displayName = displayName;
    }

    /** The name distccmon-text prints: "Preprocess" for {@link #CPP}. */
    public String displayName() {
        return displayName;
    }

    /** The number in the state file. */
    public int code() {
        return ordinal();
    }

    /** The phase of a state-file number, or empty for one 3.4 does not define. */
    public static Optional<Phase> ofCode(int code) {
        Phase[] all = values();
        return code >= 0 && code < all.length ? Optional.of(all[code]) : Optional.empty();
    }
}
