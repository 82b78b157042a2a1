package org.jdistcc.server.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the program an allowed compiler name stands for, as execvp would on the server's PATH, but
 * never the masquerade directory itself nor a link to distcc: the allow-list names there point back
 * at distcc, and running one would recurse.
 */
final class CompilerLocator {
    private final String path;
    private final Path masqueradeDir;

    CompilerLocator(String path, Path masqueradeDir) {
        this.path = path == null ? "" : path;
        this.masqueradeDir = masqueradeDir;
    }

    /** The executable for {@code command}: a path is taken as it is, a bare name is looked up on PATH. */
    Optional<Path> locate(String command) {
        try {
            if (command.contains("/")) {
                Path p = Path.of(command);
                return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
            }
            for (String entry : path.split(":", -1)) {
                if (entry.isEmpty() || isMasqueradeDir(Path.of(entry))) {
                    continue;
                }
                Path candidate = Path.of(entry, command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate) && !pointsAtDistcc(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private boolean isMasqueradeDir(Path dir) {
        try {
            return masqueradeDir != null && Files.isDirectory(dir) && Files.isDirectory(masqueradeDir)
                    && Files.isSameFile(dir, masqueradeDir);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean pointsAtDistcc(Path candidate) {
        try {
            Path real = candidate.toRealPath();
            return real.getFileName() != null && real.getFileName().toString().contains("distcc");
        } catch (IOException e) {
            return true;
        }
    }
}
