package org.jdistcc.protocol;

/**
 * Upper bounds on what a peer may announce. Every length and count read from the network is checked
 * against these before anything is allocated or read for it; a value beyond a bound is a
 * {@link ProtocolException} naming the token. Memory for a body grows only as its bytes actually
 * arrive, so an announced length costs nothing until the peer sends the data.
 *
 * @param maxArgc       most ARGV packets in one request (ARGC)
 * @param maxArgLength  longest single ARGV, CDIR, NAME or LINK string in bytes
 * @param maxArgvBytes  all ARGV strings of one request together
 * @param maxFiles      most NAME entries in one pump request (NFIL)
 * @param maxBody       longest file body (DOTI, FILE, DOTO, DOTD, SERR, SOUT), compressed or not, and
 *                      the most an LZO body may expand to
 */
public record Limits(int maxArgc, int maxArgLength, long maxArgvBytes, int maxFiles, int maxBody) {

    /**
     * The defaults, documented in docs/protocol.md: ARGC up to 65,536; one string up to 128 KiB (Linux's
     * MAX_ARG_STRLEN); 16 MiB of argv; 100,000 files; 512 MiB per body.
     */
    public static final Limits DEFAULT = new Limits(65_536, 128 * 1024, 16L << 20, 100_000, 512 << 20);

    public Limits {
        if (maxArgc < 1 || maxArgLength < 1 || maxArgvBytes < 1 || maxFiles < 0 || maxBody < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
