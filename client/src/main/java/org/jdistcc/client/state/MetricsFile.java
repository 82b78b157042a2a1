package org.jdistcc.client.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The agent's metrics for node_exporter's textfile collector: {@code $DISTCC_DIR/metrics/jdistcc-client.prom},
 * a directory holding nothing else, so that it can be given to {@code --collector.textfile.directory}
 * as it is. Written whole to a temporary file and renamed, so a reader never sees half of it.
 */
public final class MetricsFile {
    /** The file's name in its directory. */
    public static final String NAME = "jdistcc-client.prom";

    private final Path file;
    private long published = -1;

    public MetricsFile(Path file) {
        this.file = file;
    }

    /** The metrics file of {@code distccDir}. */
    public static Path under(Path distccDir) {
        return distccDir.resolve("metrics").resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /** Writes {@code metrics} if they changed since the last write. */
    public synchronized void publish(ClientMetrics metrics) throws IOException {
        long version = metrics.version();
        if (version == published) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + NAME + ".tmp");
        Files.writeString(tmp, metrics.exposition(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        published = version;
    }
}
