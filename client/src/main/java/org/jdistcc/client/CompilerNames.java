package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdistcc.compiler.GnuHost;

/**
 * Finding and naming the compiler, as distcc's client does: the PATH a masquerade link must use so
 * that it finds the real compiler and not itself (reference §2.1), and the cross-compiler rewrite
 * ({@code gcc} → {@code x86_64-linux-gnu-gcc}, {@code cc} → what it links to; §2.2) that makes the
 * server run the same compiler the client would.
 */
final class CompilerNames {
    /** What {@code cc} and {@code c++} are rewritten to when their link chain names one of these. */
    private static final Set<String> GENERIC_COMPILERS = Set.of("gcc", "g++", "clang", "clang++");

    /** Links followed at most, as a guard against loops. */
    private static final int MAX_LINK_HOPS = 20;

    private CompilerNames() {
    }

    /**
     * The PATH for a masquerade link: the entries after the directory distcc was found in. With a
     * slash in {@code argv0} that directory is argv0's own; otherwise the first PATH entry holding an
     * executable named like argv0. Empty if distcc's own directory is not on PATH at all.
     */
    static Optional<String> masqueradePath(String argv0, String path, Path cwd) {
        List<String> entries = List.of(path.split(":", -1));
        int self = -1;
        if (argv0.contains("/")) {
            Path dir = absolute(cwd, argv0).getParent();
            for (int i = 0; i < entries.size() && self < 0; i++) {
                if (!entries.get(i).isEmpty() && sameDirectory(absolute(cwd, entries.get(i)), dir)) {
                    self = i;
                }
            }
        } else {
            for (int i = 0; i < entries.size() && self < 0; i++) {
                if (executable(absolute(cwd, entries.get(i).isEmpty() ? "." : entries.get(i)).resolve(argv0))) {
                    self = i;
                }
            }
        }
        if (self < 0) {
            return Optional.empty();
        }
        return Optional.of(String.join(":", entries.subList(self + 1, entries.size())));
    }

    /** The first executable named {@code name} on {@code path}; a name with a slash is taken as it is. */
    static Optional<Path> which(String name, String path, Path cwd) {
        if (name.contains("/")) {
            Path p = absolute(cwd, name);
            return executable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String entry : path.split(":", -1)) {
            Path candidate = absolute(cwd, entry.isEmpty() ? "." : entry).resolve(name);
            if (executable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * distcc's cross-compiler rewrite of argv[0] (also applied to local runs): {@code cc} and
     * {@code c++} become gcc, g++, clang or clang++ when their chain of links passes through one of
     * those names (see {@link #genericCompilerBehind}), and are then rewritten as such; {@code gcc},
     * {@code g++} and their versioned names get the host prefix when such a compiler is installed;
     * clang gets {@code -target <triple>} unless the command names one. Paths are left alone.
     */
    static List<String> rewriteCross(List<String> argv, String path, Path cwd) {
        String compiler = argv.get(0);
        if (compiler.contains("/")) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv);
        if (compiler.equals("cc") || compiler.equals("c++")) {
            Optional<String> target = which(compiler, path, cwd).flatMap(CompilerNames::genericCompilerBehind);
            if (target.isPresent()) {
                compiler = target.get();
                out.set(0, compiler);
            }
        }
        if (compiler.matches("clang(\\+\\+)?(-.*)?") && !argv.contains("-target")) {
            out.add("-target");
            out.add(GnuHost.triple());
        } else if (compiler.matches("(gcc|g\\+\\+)(-.*)?")) {
            String cross = GnuHost.gccPrefix() + "-" + compiler;
            if (which(cross, path, cwd).isPresent()) {
                out.set(0, cross);
            }
        }
        return out;
    }

    /**
     * The first of gcc, g++, clang and clang++ met while following {@code p}'s chain of symbolic links
     * one link at a time, as distcc's {@code dcc_rewrite_generic_compiler} does. Only the names along
     * the chain count: on Debian {@code cc → /etc/alternatives/cc → /usr/bin/gcc → gcc-12 →
     * x86_64-linux-gnu-gcc-12} names gcc on the way, though the file at its end is not called gcc.
     */
    static Optional<String> genericCompilerBehind(Path p) {
        Path current = p;
        for (int hops = 0; hops < MAX_LINK_HOPS && Files.isSymbolicLink(current); hops++) {
            try {
                Path parent = current.getParent();
                Path link = Files.readSymbolicLink(current);
                current = parent == null ? link : parent.resolve(link);
            } catch (IOException e) {
                return Optional.empty();
            }
            Path name = current.getFileName();
            if (name != null && GENERIC_COMPILERS.contains(name.toString())) {
                return Optional.of(name.toString());
            }
        }
        return Optional.empty();
    }

    private static Path absolute(Path cwd, String p) {
        return cwd.resolve(p).normalize();
    }

    private static boolean executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isDirectory(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
