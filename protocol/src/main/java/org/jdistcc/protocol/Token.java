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
    TLEN(true),

    // jdistcc's own exchange between the native distcc front-end and its agent (docs/agent.md), on a
    // private Unix socket; never sent to or accepted from a distcc peer.

    /** Front-end to agent: agent protocol version. */
    JDAG(false),
    /** Front-end to agent: the build the front-end belongs to. */
    BILD(true),
    /** Front-end to agent: the caller's umask. */
    UMSK(false),
    /** Number of ENVV packets. */
    ENVC(false),
    /** One environment entry, NAME=value. */
    ENVV(true),
    /** Front-end to agent, last: the front-end's process id, which names the job's state file. */
    CPID(false),
    /** Agent to front-end: 1 if the agent takes the job, 0 if it is of another build. */
    HELO(false),
    /**
     * Agent to front-end, before a LOCL: that command is a helper (the preprocessor), its stdin
     * /dev/null and its stdout into this file, which the agent made.
     */
    LOUT(true),
    /** Agent to front-end: run the ARGC/ARGV command with the ENVC/ENVV environment here, answer STAT. */
    LOCL(false),
    /** Agent to front-end: the job's exit status; the last packet. */
    EXIT(false);

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
