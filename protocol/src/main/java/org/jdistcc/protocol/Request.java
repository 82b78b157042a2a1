package org.jdistcc.protocol;

import java.util.List;

/**
 * One compile job as the client sends it. Plain requests (v1, v2) carry the preprocessed source;
 * pump requests (v3) carry the client's working directory and the source and header files. Bodies
 * are held uncompressed; the writer compresses them as the version requires.
 */
public sealed interface Request {
    ProtocolVersion version();

    /** The compiler command line, compiler first. Never empty. */
    List<String> argv();

    /** A v1 or v2 request: {@code DIST ARGC ARGV... DOTI}. */
    record Plain(ProtocolVersion version, List<String> argv, byte[] source) implements Request {
        public Plain {
            if (version.serverPreprocesses()) {
                throw new IllegalArgumentException("a plain request is v1 or v2, not " + version);
            }
            argv = List.copyOf(argv);
        }
    }

    /** A v3 request: {@code DIST CDIR ARGC ARGV... NFIL (NAME (FILE|LINK))...}. */
    record Pump(String cwd, List<String> argv, List<IncludedFile> files) implements Request {
        public Pump {
            argv = List.copyOf(argv);
            files = List.copyOf(files);
        }

        @Override
        public ProtocolVersion version() {
            return ProtocolVersion.V3;
        }
    }
}
