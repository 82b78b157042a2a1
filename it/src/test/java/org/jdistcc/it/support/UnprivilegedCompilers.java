package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdistcc.testing.Unprivileged;

/**
 * The compilers of an in-process distccd when the test runs as root, run as {@link Unprivileged}
 * ({@code nobody}). The server runs inside the test's JVM, so as root, and starts its compilers
 * itself ({@code DistccdServer} has no seam for a test's {@code CommandRunner}); a real gcc run as
 * root on a hostile command line once overwrote /etc/passwd. So the server is given a private
 * directory as its {@code DISTCCD_PATH}, where it finds its compilers: one wrapper script for each
 * name its masquerade directory allows, which
 * <ol>
 *   <li>refuses to run unless {@code TMPDIR} (set by the server, never by the client) is one of the
 *       server's job directories, {@code SERVER_TMP/distccd_XXXXXX};</li>
 *   <li>hands that directory to the user, symbolic links themselves and never what they point at
 *       (the server made it as root, mode 0700, and the compiler reads and writes there);</li>
 *   <li>runs the program the server would have found on its own PATH, with that PATH back, under
 *       {@code setpriv} as bin/distccd does.</li>
 * </ol>
 * A name that has no wrapper is not found at all ("failed to exec"), so nothing a client names runs
 * as root but the server's own {@code nice}. The directory is mode 0700 and outside the test's
 * world-writable scratch tree, where another user could swap the scripts that root runs.
 */
final class UnprivilegedCompilers implements AutoCloseable {
    /** What a wrapper exits with when it refuses to run; not an exit status gcc uses. */
    static final int REFUSED = 126;
    private static final Path DEFAULT_MASQUERADE_DIR = Path.of("/usr/lib/distcc");

    private final Path dir;

    private UnprivilegedCompilers(Path dir) {
        this.dir = dir;
    }

    /**
     * Wrappers for a server started with {@code args} and {@code env} whose TMPDIR is
     * {@code serverTmp}, or empty when this process does not run as root.
     */
    static Optional<UnprivilegedCompilers> ifRoot(Path serverTmp, List<String> args, Map<String, String> env) {
        return Unprivileged.ifRoot().map(user -> create(user, serverTmp, args, env));
    }

    private static UnprivilegedCompilers create(Unprivileged user, Path serverTmp, List<String> args,
                                                Map<String, String> env) {
        if (args.contains("--enable-tcp-insecure") || args.contains("--make-me-a-botnet")
                || env.containsKey("DISTCC_CMDLIST")) {
            throw new AssertionError("as root, an in-process distccd runs only compilers its masquerade directory "
                    + "allows; for --enable-tcp-insecure or DISTCC_CMDLIST start bin/distccd, which drops root");
        }
        Path masquerade = masqueradeDir(args);
        String path = env.getOrDefault("DISTCCD_PATH", env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        try {
            Path dir = Files.createTempDirectory("jdistcc-compilers-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            UnprivilegedCompilers compilers = new UnprivilegedCompilers(dir);
            for (String name : allowedNames(masquerade)) {
                Optional<Path> program = locate(name, path, masquerade);
                if (program.isPresent()) {
                    Path wrapper = dir.resolve(name);
                    Files.writeString(wrapper, script(user, serverTmp, program.get(), path));
                    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
                }
            }
            return compilers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory to give the server as DISTCCD_PATH. */
    Path dir() {
        return dir;
    }

    static String script(Unprivileged user, Path serverTmp, Path program, String path) {
        String tmp = quoted(serverTmp.toString());
        String ids = user.uid() + ":" + user.gid();
        return """
                #!/bin/sh
                # Written by the test's InProcessDistccd: runs %2$s as uid %3$s, never as root.
                PATH=/usr/bin:/bin
                job=$TMPDIR
                case $job in
                  %1$s/distccd_*) ;;
                  *) echo "unprivileged compiler: TMPDIR $job is not a job directory of the server" >&2; exit %5$d ;;
                esac
                case ${job#%1$s/distccd_} in
                  */*|'') echo "unprivileged compiler: TMPDIR $job is not a job directory of the server" >&2; exit %5$d ;;
                esac
                if [ -L "$job" ] || [ ! -d "$job" ]; then
                  echo "unprivileged compiler: TMPDIR $job is not a directory" >&2; exit %5$d
                fi
                chown -R -P -h %3$s -- "$job" || exit %5$d
                PATH=%4$s
                export PATH
                exec %6$s %2$s "$@"
                """.formatted(tmp, quoted(program.toString()), ids, quoted(path), REFUSED,
                String.join(" ", user.setpriv().stream().map(UnprivilegedCompilers::quoted).toList()));
    }

    /** {@code s} in single quotes for sh; paths with a quote in them are not the test's own. */
    private static String quoted(String s) {
        if (s.contains("'")) {
            throw new IllegalArgumentException("a quote in " + s);
        }
        return "'" + s + "'";
    }

    private static Path masqueradeDir(List<String> args) {
        Path dir = DEFAULT_MASQUERADE_DIR;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--masquerade-dir") && i + 1 < args.size()) {
                dir = Path.of(args.get(++i));
            } else if (args.get(i).startsWith("--masquerade-dir=")) {
                dir = Path.of(args.get(i).substring("--masquerade-dir=".length()));
            }
        }
        return dir;
    }

    private static List<String> allowedNames(Path masquerade) throws IOException {
        if (!Files.isDirectory(masquerade)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(masquerade)) {
            return entries.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The program the server would run for {@code name}: first on {@code path}, not in the masquerade directory, not distcc. */
    private static Optional<Path> locate(String name, String path, Path masquerade) {
        List<Path> candidates = new ArrayList<>();
        for (String entry : path.split(":", -1)) {
            if (!entry.isEmpty() && !sameDir(Path.of(entry), masquerade)) {
                candidates.add(Path.of(entry, name));
            }
        }
        for (Path candidate : candidates) {
            try {
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)
                        && !candidate.toRealPath().getFileName().toString().contains("distcc")) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (IOException | InvalidPathException e) {
                // not a program the server could run either
            }
        }
        return Optional.empty();
    }

    private static boolean sameDir(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isDirectory(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the wrappers. */
    @Override
    public void close() {
        try (Stream<Path> wrappers = Files.list(dir)) {
            for (Path w : wrappers.toList()) {
                Files.deleteIfExists(w);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover directory of scripts in java.io.tmpdir is not a test failure
        }
    }
}
