package org.jdistcc.server.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --pid-file}: written once listening, removed at exit. */
public final class PidFile {
    private final Path file;

    private PidFile(Path file) {
        this.file = file;
    }

    public static PidFile write(Path file, long pid) throws IOException {
        Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
        return new PidFile(file);
    }

    public void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing to do at exit
        }
    }
}
