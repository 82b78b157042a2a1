package org.jdistcc.server.access;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.jdistcc.protocol.Printable;

/**
 * Numeric IP address text, both ways, without ever touching DNS. The rule callers keep: only
 * literals go in ({@code 10.0.0.1}, {@code fe80::1}, {@code ::ffff:1.2.3.4}); host names, zone ids
 * ({@code %eth0}), brackets and the lax forms {@code inet_aton} takes ({@code 127.1},
 * {@code 0x7f.0.0.1}, octal {@code 010.0.0.1}) are refused with {@link IllegalArgumentException}.
 *
 * <p>{@link InetAddress#getByName} would look a non-literal up, and {@code InetAddress.ofLiteral}
 * only exists from JDK 22, hence this small strict parser.
 */
public final class AddressLiteral {
    /** Longest IPv6 text: {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    static final int MAX_CHARS = 45;

    private AddressLiteral() {
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 address. As everywhere in the JDK, an IPv4-mapped IPv6
     * literal comes back as an {@link Inet4Address}.
     *
     * @throws IllegalArgumentException naming {@code text} if it is not a numeric address
     */
    public static InetAddress parse(String text) {
        byte[] bytes = bytes(text);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * Formats an address numerically: IPv4 dotted, IPv6 in the RFC 5952 form (lower case, the
     * longest run of zero groups as {@code ::}, IPv4-mapped as {@code ::ffff:a.b.c.d}). A zone id
     * is left out.
     */
    /** {@code 10.0.0.1:3632}, or {@code [fd00::1]:3632} for IPv6, as a peer appears in log lines. */
    public static String format(InetAddress address, int port) {
        String a = format(address);
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port;
    }

    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** Returns the 4 or 16 bytes of a literal; IPv4-mapped IPv6 stays 16 bytes here. */
    static byte[] bytes(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_CHARS) {
            throw bad(text, "too long for an IP address");
        }
        return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text, text);
    }

    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return dotted(bytes, 0);
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
        if (isIpv4Mapped(bytes)) {
            return "::ffff:" + dotted(bytes, 12);
        }
        return ipv6Text(bytes);
    }

    /** True for {@code ::ffff:a.b.c.d}. */
    static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** Builds the JDK object for 4 or 16 bytes; 16 bytes stay an {@link Inet6Address} even if mapped. */
    static InetAddress toAddress(byte[] bytes) {
        try {
            return bytes.length == 16
                    ? Inet6Address.getByAddress(null, bytes, -1)
                    : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    /** Parses the dotted quad {@code quad}, which is all or the end of {@code text}. */
    private static byte[] ipv4(String text, String quad) {
        String[] parts = quad.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(text, "an IPv4 address has 4 dotted decimal parts");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) octet(text, parts[i]);
        }
        return out;
    }

    private static int octet(String text, String part) {
        if (part.isEmpty() || part.length() > 3 || !allDecimal(part)) {
            throw bad(text, "'" + Printable.of(part) + "' is not a decimal number from 0 to 255");
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            // inet_aton would read this as octal; refuse rather than guess
            throw bad(text, "'" + part + "' has a leading zero");
        }
        int value = Integer.parseInt(part);
        if (value > 255) {
            throw bad(text, "'" + part + "' is not a decimal number from 0 to 255");
        }
        return value;
    }

    private static byte[] ipv6(String text) {
        if (text.indexOf('%') >= 0) {
            throw bad(text, "a zone id is not allowed");
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw bad(text, "'::' may appear only once");
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(text, head, gap < 0);
        int[] tailGroups = groups(text, tail, true);
        int count = headGroups.length + tailGroups.length;
        if (gap < 0 ? count != 8 : count > 7) {
            throw bad(text, "an IPv6 address has 8 groups of 16 bits");
        }
        byte[] out = new byte[16];
        put(out, 0, headGroups);
        put(out, 8 - tailGroups.length, tailGroups);
        return out;
    }

    /** Splits one side of {@code ::} into 16-bit groups; a dotted quad may end the address. */
    private static int[] groups(String text, String side, boolean mayEndWithIpv4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        boolean ipv4 = mayEndWithIpv4 && parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (ipv4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (ipv4 && i == parts.length - 1) {
                byte[] quad = ipv4(text, part);
                out[i] = (quad[0] & 0xff) << 8 | quad[1] & 0xff;
                out[i + 1] = (quad[2] & 0xff) << 8 | quad[3] & 0xff;
            } else if (part.isEmpty() || part.length() > 4 || !allHex(part)) {
                throw bad(text, "'" + Printable.of(part) + "' is not a group of 1 to 4 hex digits");
            } else {
                out[i] = Integer.parseInt(part, 16);
            }
        }
        return out;
    }

    private static void put(byte[] out, int firstGroup, int[] groups) {
        for (int i = 0; i < groups.length; i++) {
            out[2 * (firstGroup + i)] = (byte) (groups[i] >>> 8);
            out[2 * (firstGroup + i) + 1] = (byte) groups[i];
        }
    }

    private static String dotted(byte[] bytes, int from) {
        return (bytes[from] & 0xff) + "." + (bytes[from + 1] & 0xff) + "."
                + (bytes[from + 2] & 0xff) + "." + (bytes[from + 3] & 0xff);
    }

    private static String ipv6Text(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        // RFC 5952 4.2: compress the first longest run of two or more zero groups
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static boolean allDecimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean allHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("'" + Printable.of(text) + "' is not a numeric IP address: " + why);
    }
}
