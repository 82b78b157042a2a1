package org.jdistcc.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@link Request} from a stream, as distccd does: DIST, then the packets of that version
 * in their fixed order. Any deviation is a {@link ProtocolException}; an early end of stream a
 * {@link TruncatedException}. Counts and lengths are bounded by the {@link Limits}.
 */
public final class RequestReader {
    private final PacketReader packets;

    public RequestReader(InputStream in, Limits limits) {
        this(in, limits, BodyBudget.UNLIMITED);
    }

    /** A reader that claims the memory of bodies from {@code budget} as they arrive. */
    public RequestReader(InputStream in, Limits limits, BodyBudget budget) {
        this.packets = new PacketReader(in, limits, budget);
    }

    public Request read() throws IOException {
        ProtocolVersion version = ProtocolVersion.of(packets.expect(Token.DIST));
        if (version.serverPreprocesses()) {
            String cwd = packets.readString(Token.CDIR);
            List<String> argv = readArgv();
            return new Request.Pump(cwd, argv, readFiles());
        }
        List<String> argv = readArgv();
        return new Request.Plain(version, argv, packets.readFile(Token.DOTI, version.compressed()));
    }

    private List<String> readArgv() throws IOException {
        Limits limits = packets.limits();
        int argc = packets.expectCount(Token.ARGC, limits.maxArgc());
        if (argc == 0) {
            throw new ProtocolException("ARGC: a request needs at least the compiler name");
        }
        List<String> argv = new ArrayList<>(Math.min(argc, 1024));
        long total = 0;
        for (int i = 0; i < argc; i++) {
            long length = packets.expect(Token.ARGV);
            // Counted in announced bytes and checked before the body is read.
            total += length;
            if (total > limits.maxArgvBytes()) {
                throw new ProtocolException("ARGV: arguments exceed the limit of " + limits.maxArgvBytes() + " bytes");
            }
            argv.add(packets.stringBody(Token.ARGV, length));
        }
        return argv;
    }

    private List<IncludedFile> readFiles() throws IOException {
        int n = packets.expectCount(Token.NFIL, packets.limits().maxFiles());
        List<IncludedFile> files = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            String name = packets.readString(Token.NAME);
            PacketReader.Header h = packets.readHeader("FILE or LINK");
            switch (h.token()) {
                case FILE -> files.add(new IncludedFile.Contents(name, packets.fileBody(Token.FILE, h.value(), true)));
                case LINK -> files.add(new IncludedFile.Link(name, packets.stringBody(Token.LINK, h.value())));
                default -> throw new ProtocolException("protocol derailment: expected FILE or LINK after NAME \""
                        + name + "\", got " + h.token());
            }
        }
        return files;
    }
}
