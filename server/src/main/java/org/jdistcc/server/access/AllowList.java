package org.jdistcc.server.access;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * The client access list of {@code --allow} and {@code --allow-private}: a pure decision from a
 * client address to {@link AccessDecision}. Used for the compile port and the stats port alike.
 *
 * <p>The rule callers keep: an empty list refuses everyone. distcc 3.3 and 3.4 let everyone in
 * when no {@code --allow} was given; jdistcc never does, so starting without any mask (or
 * defaulting to {@link #privateRanges()}) is the daemon's decision, made before building this.
 * A connection with no address at all (inetd mode over an ssh pipe) never reaches this class.
 *
 * <p>As in distcc, masks are tried from the last given to the first, and the first that matches
 * is reported; whether a client gets in does not depend on the order.
 */
public final class AllowList {
    private static final List<CidrMask> PRIVATE_RANGES = List.of(
            CidrMask.parse("192.168.0.0/16"),
            CidrMask.parse("10.0.0.0/8"),
            CidrMask.parse("172.16.0.0/12"),
            CidrMask.parse("127.0.0.0/8"),
            CidrMask.parse("fe80::/10"),
            CidrMask.parse("fc00::/7"),
            // distcc 3.4 loops over only 6 of its 7 entries and so skips ::1; master includes it
            CidrMask.parse("::1/128"));

    private final List<CidrMask> masks;

    private AllowList(List<CidrMask> masks) {
        this.masks = masks;
    }

    /** A list of {@code masks} in command-line order; may be empty, which refuses everyone. */
    public static AllowList of(Collection<CidrMask> masks) {
        return new AllowList(List.copyOf(masks));
    }

    /**
     * What {@code --allow-private} adds: 192.168.0.0/16, 10.0.0.0/8, 172.16.0.0/12, 127.0.0.0/8,
     * fe80::/10, fc00::/7 and ::1/128.
     */
    public static List<CidrMask> privateRanges() {
        return PRIVATE_RANGES;
    }

    /** The masks in the order given. */
    public List<CidrMask> masks() {
        return masks;
    }

    public boolean isEmpty() {
        return masks.isEmpty();
    }

    /** Lets {@code client} in if any mask matches it; see the class comment for order. */
    public AccessDecision check(InetAddress client) {
        for (int i = masks.size() - 1; i >= 0; i--) {
            CidrMask mask = masks.get(i);
            if (mask.matches(client)) {
                return new AccessDecision.Allowed(mask);
            }
        }
        return new AccessDecision.Refused(
                "connection from client '" + AddressLiteral.format(client) + "' denied by access list");
    }

    @Override
    public String toString() {
        return "AllowList" + masks;
    }
}
