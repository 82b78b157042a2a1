package org.jdistcc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The user that compilers started by a test run as when the test runs as root: {@code nobody}, the
 * user bin/distccd drops to where there is no {@code distcc} user. A server that runs inside the
 * test's JVM cannot drop root itself, and a real compiler run as root on a hostile command line may
 * write anywhere ({@code -o /etc/passwd} once did); through {@link #setpriv()} it runs as this user,
 * with no supplementary groups, no capabilities and no way to gain privileges again.
 *
 * @param uid the user's id, never 0
 * @param gid its primary group's id
 */
public record Unprivileged(int uid, int gid) {
    public static final String USER = "nobody";

    public Unprivileged {
        if (uid == 0) {
            throw new IllegalArgumentException("uid 0 is root");
        }
    }

    /** The unprivileged user if this process runs as root (real or effective uid 0), else empty. */
    public static Optional<Unprivileged> ifRoot() {
        return isRoot(Path.of("/proc/self/status")) ? Optional.of(lookUp(Path.of("/etc/passwd"), USER))
                : Optional.empty();
    }

    /** The words that run a command as this user: {@code setpriv ... --} as bin/distccd drops root. */
    public List<String> setpriv() {
        return List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--");
    }

    /** Whether the real or effective uid in a {@code /proc/PID/status} file is 0. */
    static boolean isRoot(Path procStatus) {
        try {
            for (String line : Files.readAllLines(procStatus)) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids[0].equals("0") || ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no Uid: line in " + procStatus);
    }

    /** {@code user}'s ids from a passwd file. */
    static Unprivileged lookUp(Path passwd, String user) {
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals(user)) {
                    return new Unprivileged(Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no user " + user + " in " + passwd
                + ": the tests run as root and need it to run compilers unprivileged");
    }
}
