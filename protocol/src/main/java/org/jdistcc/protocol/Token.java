package org.jdistcc.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The 4-letter packet tokens of distcc 3.4. A token either carries a body (its 8-hex value is the body
 * length) or a plain parameter (a version, a count, a wait status).
 */
public enum Token {
    /** Protocol version, client to server. */
    DIST(false),
    /** Client working directory (v3). */
    CDIR(true),
    /** Number of ARGV packets. */
    ARGC(false),
    /** One argument. */
    ARGV(true),
    /** Preprocessed source (v1, v2). */
    DOTI(true),
    /** Number of NAME entries (v3). */
    NFIL(false),
    /** Absolute client path of the next FILE or LINK (v3). */
    NAME(true),
    /** LZO-compressed file contents (v3). */
    FILE(true),
    /** Symbolic link target, uncompressed (v3). */
    LINK(true),
    /** Response header: protocol version. */
    DONE(false),
    /** Wait status of the compiler. */
    STAT(false),
    /** Compiler standard error. */
    SERR(true),
    /** Compiler standard output. */
    SOUT(true),
    /** Object file (or assembly with -S). */
    DOTO(true),
    /** Dependency file (v3, success only). */
    DOTD(true),
    /** GSS-API token (,auth hosts only). */
    TLEN(true);

    private final boolean carriesBody;
    private final byte[] ascii;

    Token(boolean carriesBody) {
        this.carriesBody = carriesBody;
        this.ascii = name().getBytes(StandardCharsets.US_ASCII);
    }

    public boolean carriesBody() {
        return carriesBody;
    }

    byte[] ascii() {
        return ascii.clone();
    }

    /** The token spelled by these 4 bytes, or null if it is none of ours. */
    static Token fromAscii(byte[] header) {
        for (Token t : values()) {
            byte[] a = t.ascii;
            if (a[0] == header[0] && a[1] == header[1] && a[2] == header[2] && a[3] == header[3]) {
                return t;
            }
        }
        return null;
    }
}
