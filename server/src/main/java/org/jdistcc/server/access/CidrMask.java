package org.jdistcc.server.access;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import org.jdistcc.protocol.Printable;

/**
 * One {@code --allow} entry: a network and a prefix length, IPv4 or IPv6.
 *
 * <p>The record is always canonical: host bits beyond the prefix are cleared
 * ({@code 127.0.0.1/8} becomes {@code 127.0.0.0/8}, so it matches {@code 127.0.0.2} as distcc's
 * {@code ParseMask_Case} expects), and an IPv4-mapped IPv6 network with a prefix of at least 96
 * becomes the IPv4 network it maps ({@code ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}).
 *
 * <p>Matching compares in the IPv6 space a dual-stack listener sees, where an IPv4 client is
 * {@code ::ffff:a.b.c.d}. So an IPv4 mask matches its clients whether they arrive as
 * {@link Inet4Address} or as IPv4-mapped IPv6 (distcc master's fix), and an IPv6 mask whose prefix
 * covers {@code ::ffff:0:0/96} (only {@code ::/0} to {@code ::/80} and mapped masks do) matches IPv4
 * clients too, as it does in distcc with a dual-stack socket.
 *
 * @param network the network address, host bits cleared; never DNS-resolved
 * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record CidrMask(InetAddress network, int prefixLength) {
    /** Longest spec: {@code [ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]/128}. */
    static final int MAX_SPEC_CHARS = 2 + AddressLiteral.MAX_CHARS + 4;

    private static final int MAPPED_PREFIX = 96;

    /**
     * Normalises as the class comment says.
     *
     * @throws IllegalArgumentException if the prefix length is negative or beyond the address size
     */
    public CidrMask {
        Objects.requireNonNull(network, "network");
        byte[] bytes = network.getAddress();
        if (AddressLiteral.isIpv4Mapped(bytes) && prefixLength >= MAPPED_PREFIX && prefixLength <= 128) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
            prefixLength -= MAPPED_PREFIX;
        }
        int bits = bytes.length * 8;
        if (prefixLength < 0) {
            throw new IllegalArgumentException("mask length " + prefixLength + " is negative");
        }
        if (prefixLength > bits) {
            throw new IllegalArgumentException("mask length " + prefixLength + " is beyond the " + bits
                    + " bits of an IPv" + (bits == 32 ? 4 : 6) + " address");
        }
        clearHostBits(bytes, prefixLength);
        network = AddressLiteral.toAddress(bytes);
    }

    /**
     * Parses {@code a.b.c.d}, {@code a.b.c.d/N}, {@code x::y}, {@code x::y/N}, {@code [x::y]},
     * {@code [x::y]/N} or {@code ::ffff:a.b.c.d/N}. Without {@code /N} the mask is the whole
     * address. Numeric only: a host name is malformed, never looked up.
     *
     * @throws IllegalArgumentException naming {@code spec} if it is malformed or the mask length is
     *     beyond the address size (distccd exits 101)
     */
    public static CidrMask parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            return parseChecked(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid allow mask '" + Printable.of(spec) + "': " + e.getMessage(), e);
        }
    }

    /** True if {@code client} is in this network; see the class comment for IPv4 and IPv6. */
    public boolean matches(InetAddress client) {
        byte[] wanted = inIpv6Space(network.getAddress());
        byte[] actual = inIpv6Space(client.getAddress());
        int bits = network instanceof Inet4Address ? prefixLength + MAPPED_PREFIX : prefixLength;
        for (int i = 0; i < bits / 8; i++) {
            if (wanted[i] != actual[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int keep = 0xff << (8 - rest) & 0xff;
        return (wanted[bits / 8] & keep) == (actual[bits / 8] & keep);
    }

    /** The canonical {@code addr/N}, for example {@code 10.0.0.0/8} or {@code fe80::/10}. */
    @Override
    public String toString() {
        return AddressLiteral.format(network) + "/" + prefixLength;
    }

    private static CidrMask parseChecked(String spec) {
        if (spec.length() > MAX_SPEC_CHARS) {
            throw new IllegalArgumentException("too long");
        }
        int slash = spec.indexOf('/');
        String address = slash < 0 ? spec : spec.substring(0, slash);
        if (address.startsWith("[") || address.endsWith("]")) {
            if (address.length() < 2 || !address.startsWith("[") || !address.endsWith("]")
                    || address.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets must enclose a whole IPv6 address");
            }
            address = address.substring(1, address.length() - 1);
        }
        byte[] bytes = AddressLiteral.bytes(address);
        int prefix = slash < 0 ? bytes.length * 8 : prefixLength(spec.substring(slash + 1));
        return new CidrMask(AddressLiteral.toAddress(bytes), prefix);
    }

    /** A decimal of 1 to 3 digits; the size check is the constructor's. */
    private static int prefixLength(String text) {
        if (text.isEmpty() || text.length() > 3) {
            throw new IllegalArgumentException("the mask length after '/' must be a number of bits");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("the mask length after '/' must be a number of bits");
            }
        }
        return Integer.parseInt(text);
    }

    /** IPv4 as {@code ::ffff:a.b.c.d}; 16 bytes are returned as they are. */
    private static byte[] inIpv6Space(byte[] bytes) {
        if (bytes.length == 16) {
            return bytes;
        }
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, out, 12, 4);
        return out;
    }

    private static void clearHostBits(byte[] bytes, int prefixLength) {
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }
}
