package org.jdistcc.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jdistcc.testing.OneByteInputStream;
import org.junit.jupiter.api.Named;

/** Requests and responses of every kind, and the two ways the tests feed bytes to a reader. */
final class Samples {
    /** Small enough that no test can exhaust memory, large enough for every sample. */
    static final Limits SMALL = new Limits(64, 4096, 16_384, 16, 1 << 20);

    private static final byte[] DOT_I = ascii("# 0 \"hello.c\"\n# 1 \"hello.c\"\nint main(void) { return 0; }\n");
    private static final byte[] ELF = elfLike();
    private static final List<String> ARGV = List.of("x86_64-linux-gnu-gcc", "-c", "hello.c", "-o", "hello.o");
    private static final List<String> PUMP_ARGV = List.of("x86_64-linux-gnu-gcc", "-MD", "-Iinc", "-c", "hello.c",
            "-o", "hello.o", "-MT", "hello.o");

    private Samples() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** 4 KiB that compress well and a little that does not: exercises LZO's matches and literals. */
    private static byte[] elfLike() {
        byte[] b = new byte[5000];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        for (int i = 4096; i < b.length; i++) {
            b[i] = (byte) (i * 31 ^ i >> 3);
        }
        return b;
    }

    static Stream<Named<Request>> requests() {
        return Stream.of(
                Named.of("v1", new Request.Plain(ProtocolVersion.V1, ARGV, DOT_I)),
                Named.of("v1 with an empty DOTI", new Request.Plain(ProtocolVersion.V1, ARGV, new byte[0])),
                Named.of("v1 with only the compiler name", new Request.Plain(ProtocolVersion.V1, List.of("cc"), DOT_I)),
                Named.of("v1 with UTF-8 and empty arguments", new Request.Plain(ProtocolVersion.V1,
                        List.of("gcc", "", "-DNAME=\"Grüße ✓\"", "-c", "x.c"), DOT_I)),
                Named.of("v2", new Request.Plain(ProtocolVersion.V2, ARGV, DOT_I)),
                Named.of("v2 with an empty DOTI", new Request.Plain(ProtocolVersion.V2, ARGV, new byte[0])),
                Named.of("v2 with a binary DOTI", new Request.Plain(ProtocolVersion.V2, ARGV, ELF)),
                Named.of("v3 with FILE and LINK", new Request.Pump("/home/u/src", PUMP_ARGV, List.of(
                        new IncludedFile.Contents("/home/u/src/hello.c", DOT_I),
                        new IncludedFile.Contents("/home/u/src/inc/empty.h", new byte[0]),
                        new IncludedFile.Link("/home/u/src/inc/alias.h", "hello.h"),
                        new IncludedFile.Link("/home/u/src/sys", "/usr/include")))),
                Named.of("v3 without files", new Request.Pump("/", List.of("gcc", "-c", "x.c"), List.of())));
    }

    static Stream<Named<Response>> responses() {
        byte[] none = new byte[0];
        byte[] serr = ascii("bad.c:1:25: error: expected expression before '}' token\n");
        byte[] warning = ascii("hello.c:1:1: warning: this is only a warning\n");
        byte[] deps = ascii("hello.o: hello.c /home/u/src/inc/hello.h\n");
        return Stream.of(
                Named.of("v1 success", new Response(ProtocolVersion.V1, 0, warning, none, ELF, null)),
                Named.of("v1 success with an empty object", new Response(ProtocolVersion.V1, 0, none, none, none, null)),
                Named.of("v1 compile error", new Response(ProtocolVersion.V1, 0x100, serr, none, none, null)),
                Named.of("v1 compiler killed by SIGKILL", new Response(ProtocolVersion.V1, 9, none, none, none, null)),
                Named.of("v1 with stdout", new Response(ProtocolVersion.V1, 0, none, ascii("out\n"), ELF, null)),
                Named.of("v2 success", new Response(ProtocolVersion.V2, 0, warning, none, ELF, null)),
                Named.of("v2 compile error", new Response(ProtocolVersion.V2, 0x100, serr, none, none, null)),
                Named.of("v2 server timeout (118 << 8)", new Response(ProtocolVersion.V2,
                        ExitCode.TIMEOUT.asWaitStatus(), none, none, none, null)),
                Named.of("v3 success with DOTD", new Response(ProtocolVersion.V3, 0, none, none, ELF, deps)),
                Named.of("v3 success with an empty DOTD", new Response(ProtocolVersion.V3, 0, none, none, ELF, none)),
                Named.of("v3 compile error", new Response(ProtocolVersion.V3, 0x100, serr, none, none, null)));
    }

    static byte[] encode(Request request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new RequestWriter(out).write(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] encode(Response response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ResponseWriter(out).write(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first {@code n} bytes. */
    static byte[] prefix(byte[] bytes, int n) {
        return Arrays.copyOf(bytes, n);
    }

    /** How a test hands bytes to a reader: all at once, or one byte per read. */
    enum Feed {
        WHOLE(ByteArrayInputStream::new),
        ONE_BYTE_AT_A_TIME(OneByteInputStream::of);

        private final Function<byte[], InputStream> open;

        Feed(Function<byte[], InputStream> open) {
            this.open = open;
        }

        InputStream open(byte[] bytes) {
            return open.apply(bytes);
        }
    }
}
