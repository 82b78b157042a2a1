package org.jdistcc.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who this process runs as, read from {@code /proc/self/status}. A JVM cannot change its own user,
 * so {@code bin/distccd} drops root with setpriv(1) before the JVM starts; this check is the
 * backstop that refuses to serve if that did not happen (distccd's exit 112).
 */
final class Privileges {
    private Privileges() {
    }

    /** Whether the real or the effective uid in {@code procStatus} is 0. */
    static boolean isRoot(Path procStatus) throws IOException {
        for (String line : Files.readAllLines(procStatus)) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                return f.length >= 2 && (f[0].equals("0") || f[1].equals("0"));
            }
        }
        throw new IOException("no Uid line in " + procStatus);
    }
}
