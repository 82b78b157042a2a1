package org.jdistcc.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jdistcc.protocol.Lzo;

/**
 * Generates malformed and hostile distcc requests, reproducibly from a seed. Each starts from the
 * grammar of a request (protocol 1, 2 or 3: DIST, CDIR, ARGC, ARGV..., DOTI or NFIL and files), with
 * a command line from {@link HostileArguments}, and is then mutated, at the level of packets
 * (dropped, repeated or swapped packets, wrong tokens, oversized lengths and counts, non-hex
 * digits, NUL bytes, ARGC not matching the ARGVs) or of bytes (flips, cuts, insertions), or replaced
 * by random bytes or an LZO bomb. About a fifth are left well-formed, so some jobs reach the
 * compiler. The same seed gives the same sequence; {@link Generated#kind} says what was done.
 */
public final class HostileRequests {
    /** What was done to a request. */
    public enum Kind {
        /** Well-formed; only the command line may be hostile. */
        WELL_FORMED,
        /** Packets dropped, repeated, swapped, or given wrong tokens, values or bodies. */
        PACKETS,
        /** Bytes flipped, inserted or removed after encoding. */
        BYTES,
        /** Cut short. */
        TRUNCATED,
        /** A length or count far beyond what is sent, then the end of the stream. */
        OVERSIZED,
        /** Not a request at all. */
        RANDOM,
        /** A protocol 2 DOTI that expands to far more than it is. */
        LZO_BOMB
    }

    /** One generated request. */
    public record Generated(Kind kind, byte[] bytes) {
    }

    /** One packet before encoding: a 4-byte token, an 8-byte value field and a body. */
    private record Packet(byte[] token, byte[] value, byte[] body) {
        static Packet of(String token, long value, byte[] body) {
            return new Packet(ascii(token), ascii(String.format("%08x", value)), body);
        }
    }

    private static final byte[] SOURCE = ascii("# 0 \"hello.c\"\nint main(void) { return 0; }\n");
    /** Sources that name server files: cpp's directives (errors in a preprocessed file) and a PCH pragma. */
    private static final byte[] SOURCE_NAMING_SERVER_FILES = ascii(
            "# 0 \"hello.c\"\n#include \"/etc/passwd\"\n#pragma GCC pch_preprocess \"/etc/passwd\"\n"
                    + "int main(void) { return 0; }\n");
    private static final String[] TOKENS = {"DIST", "CDIR", "ARGC", "ARGV", "DOTI", "NFIL", "NAME", "FILE", "LINK",
        "DONE", "STAT", "SERR", "DOTO", "TLEN", "dist", "argv", "DIS\0", "    ", "\0\0\0\0", "ARG", "ARGVX"};
    private static final String[] VALUES = {"ffffffff", "FFFFFFFF", "7fffffff", "80000000", "00010001", "0000000g",
        " 0000001", "+0000001", "-0000001", "0x000001", "\0\0\0\0\0\0\0\0", "00000000", "0000000", "000000001",
        "1fffffff", "0001ffff", "00ffffff", "0000fffF"};

    private static volatile byte[] bomb;

    private final SplittableRandom random;
    private final HostileArguments arguments;
    private final boolean lzoBombs;

    /** Requests whose attacks aim at {@code /tmp}, with an LZO bomb about once in 10,000. */
    public HostileRequests(long seed) {
        this(seed, "/tmp", true);
    }

    /**
     * Requests whose attacks aim at {@code target} (see {@link HostileArguments}); {@code lzoBombs}
     * false leaves out the bombs, whose 64 MiB a server with memory to spare rightly accepts.
     */
    public HostileRequests(long seed, String target, boolean lzoBombs) {
        this.random = new SplittableRandom(seed);
        this.arguments = new HostileArguments(random, target);
        this.lzoBombs = lzoBombs;
    }

    /** The next request. */
    public Generated next() {
        if (random.nextInt(10_000) == 0 && lzoBombs) {
            return new Generated(Kind.LZO_BOMB, encode(lzoBomb()));
        }
        int roll = random.nextInt(1000);
        if (roll < 20) {
            return new Generated(Kind.RANDOM, randomBytes());
        }
        List<Packet> packets = wellFormed();
        if (roll < 250) {
            return new Generated(Kind.WELL_FORMED, encode(packets));
        }
        if (roll < 600) {
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                mutate(packets);
            }
            return new Generated(Kind.PACKETS, encode(packets));
        }
        if (roll < 800) {
            return new Generated(Kind.BYTES, mutateBytes(encode(packets)));
        }
        if (roll < 930) {
            byte[] all = encode(packets);
            return new Generated(Kind.TRUNCATED, Arrays.copyOf(all, random.nextInt(all.length)));
        }
        return new Generated(Kind.OVERSIZED, oversized(packets));
    }

    /** A request as a client would encode it, the command line aside. */
    private List<Packet> wellFormed() {
        List<String> argv = arguments.next();
        int version = random.nextInt(10) < 9 ? 1 + random.nextInt(2) : 3;
        List<Packet> packets = new ArrayList<>();
        packets.add(Packet.of("DIST", version, null));
        if (version == 3) {
            packets.add(string("CDIR", random.nextInt(4) == 0 ? "/../../.." : "/home/u"));
        }
        packets.add(Packet.of("ARGC", argv.size(), null));
        for (String arg : argv) {
            packets.add(string("ARGV", arg));
        }
        if (version == 3) {
            packets.add(Packet.of("NFIL", 2, null));
            packets.add(string("NAME", "/home/u/hello.c"));
            packets.add(body("FILE", Lzo.compress(SOURCE)));
            packets.add(string("NAME", random.nextBoolean() ? "/home/u/../../../etc/x.h" : "/home/u/x.h"));
            packets.add(string("LINK", random.nextBoolean() ? "/etc/passwd" : "../../../../etc/shadow"));
            return packets;
        }
        byte[] source = switch (random.nextInt(20)) {
            case 0 -> new byte[0];
            case 1 -> SOURCE_NAMING_SERVER_FILES;
            case 2 -> randomBytes();
            default -> SOURCE;
        };
        boolean compressed = version == 2;
        byte[] doti = compressed && source.length > 0 ? Lzo.compress(source) : source;
        if (compressed && random.nextInt(20) == 0) {
            doti = randomBytes(); // not LZO at all
        }
        packets.add(body("DOTI", doti));
        return packets;
    }

    private void mutate(List<Packet> packets) {
        int i = random.nextInt(packets.size());
        Packet p = packets.get(i);
        switch (random.nextInt(9)) {
            case 0 -> packets.remove(i);
            case 1 -> packets.add(i, p);
            case 2 -> {
                int j = random.nextInt(packets.size());
                packets.set(i, packets.get(j));
                packets.set(j, p);
            }
            case 3 -> packets.set(i, new Packet(ascii(pick(TOKENS)), p.value(), p.body()));
            case 4 -> packets.set(i, new Packet(p.token(), ascii(pick(VALUES)), p.body()));
            case 5 -> packets.set(i, new Packet(p.token(),
                    ascii(String.format("%08x", Math.max(0, hex(p.value()) + random.nextInt(7) - 3))), p.body()));
            case 6 -> { // a NUL inside a body
                if (p.body() != null && p.body().length > 0) {
                    byte[] b = p.body().clone();
                    b[random.nextInt(b.length)] = 0;
                    packets.set(i, new Packet(p.token(), p.value(), b));
                }
            }
            case 7 -> { // DIST 0, 3, 4 or huge
                long[] versions = {0, 3, 4, 0xffffffffL, 1, 2};
                packets.set(0, Packet.of("DIST", versions[random.nextInt(versions.length)], null));
            }
            default -> { // ARGC huge or zero
                for (int k = 0; k < packets.size(); k++) {
                    if (Arrays.equals(packets.get(k).token(), ascii("ARGC"))) {
                        long[] counts = {0, 0x10000, 0x10001, 0xffffffffL, 0x7fffffff, 1};
                        packets.set(k, Packet.of("ARGC", counts[random.nextInt(counts.length)], null));
                    }
                }
            }
        }
    }

    private byte[] mutateBytes(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = bytes.clone();
        for (int n = 1 + random.nextInt(4); n > 0 && b.length > 0; n--) {
            int at = random.nextInt(b.length);
            b[at] = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> (byte) "gxG -+Z\n".charAt(random.nextInt(8));
                default -> (byte) random.nextInt(256);
            };
        }
        int cut = b.length == 0 ? 0 : random.nextInt(b.length);
        out.write(b, 0, cut);
        if (random.nextBoolean()) {
            out.writeBytes(randomBytes());
        } else {
            int skip = Math.min(b.length - cut, random.nextInt(8));
            out.write(b, cut + skip, b.length - cut - skip);
        }
        return out.toByteArray();
    }

    /** The packets up to one whose announced length is huge, a little of its body, then nothing. */
    private byte[] oversized(List<Packet> packets) {
        List<Integer> withBody = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).body() != null) {
                withBody.add(i);
            }
        }
        int at = withBody.isEmpty() ? packets.size() - 1 : withBody.get(random.nextInt(withBody.size()));
        long[] lengths = {0xffffffffL, 0x7fffffffL, 0x20000000L, 0x1fffffffL, 0x20001L, 0x1000001L};
        Packet p = packets.get(at);
        byte[] sent = new byte[random.nextInt(4096)];
        List<Packet> head = new ArrayList<>(packets.subList(0, at));
        head.add(new Packet(p.token(), ascii(String.format("%08x", lengths[random.nextInt(lengths.length)])), sent));
        return encode(head);
    }

    /** DIST 2, an ordinary command, and a DOTI of a few hundred KiB that expands to 64 MiB. */
    private List<Packet> lzoBomb() {
        byte[] compressed = bomb;
        if (compressed == null) {
            compressed = Lzo.compress(new byte[64 << 20]);
            bomb = compressed;
        }
        List<String> argv = List.of("gcc", "-c", "hello.c", "-o", "hello.o");
        List<Packet> packets = new ArrayList<>();
        packets.add(Packet.of("DIST", 2, null));
        packets.add(Packet.of("ARGC", argv.size(), null));
        argv.forEach(a -> packets.add(string("ARGV", a)));
        packets.add(body("DOTI", compressed));
        return packets;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length >= 12 && random.nextBoolean()) {
            System.arraycopy(ascii("DIST0000000"), 0, b, 0, 11);
        }
        return b;
    }

    private static Packet string(String token, String value) {
        return body(token, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Packet body(String token, byte[] body) {
        return Packet.of(token, body.length, body);
    }

    private static byte[] encode(List<Packet> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Packet p : packets) {
            out.writeBytes(p.token());
            out.writeBytes(p.value());
            if (p.body() != null) {
                out.writeBytes(p.body());
            }
        }
        return out.toByteArray();
    }

    private static long hex(byte[] value) {
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
