package org.jdistcc.protocol;

/**
 * The three protocol versions. The client picks one per host from the host options (none: 1,
 * {@code ,lzo}: 2, {@code ,lzo,cpp}: 3); the server answers in the version it was asked in.
 */
public enum ProtocolVersion {
    /** Plain bodies, client-side preprocessing. */
    V1(1),
    /** LZO bodies, client-side preprocessing. */
    V2(2),
    /** LZO bodies, server-side preprocessing (pump mode). */
    V3(3);

    private final int number;

    ProtocolVersion(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Whether bodies other than NAME, LINK, CDIR and ARGV are LZO-compressed. */
    public boolean compressed() {
        return this != V1;
    }

    /** Whether the server runs the preprocessor (pump mode). */
    public boolean serverPreprocesses() {
        return this == V3;
    }

    public static ProtocolVersion of(long number) throws ProtocolException {
        for (ProtocolVersion v : values()) {
            if (v.number == number) {
                return v;
            }
        }
        throw new ProtocolException("DIST: unsupported protocol version " + number + " (this side speaks 1, 2 and 3)");
    }
}
