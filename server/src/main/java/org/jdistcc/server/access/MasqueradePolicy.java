package org.jdistcc.server.access;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import org.jdistcc.protocol.Printable;

/**
 * distccd's default compiler allow-list: a client may run a compiler only by a bare name that
 * has an executable entry in the masquerade directory (normally {@code /usr/lib/distcc}, whose
 * entries {@code update-distcc-symlinks} or the distro package makes).
 *
 * <p>As in distcc 3.4, a leading {@code /bin/} or {@code /usr/bin/} is stripped, ignoring case
 * (QtCreator sends {@code /usr/bin/gcc}, distcc issue #279), and any other path is refused. The
 * allowed command is the bare name, which the server finds on its own PATH. Checking the entry
 * reads the file system, nothing else.
 *
 * @param directory the masquerade directory; it need not exist (then everything is refused)
 */
public record MasqueradePolicy(Path directory) implements CompilerPolicy {
    /** distcc's {@code /usr/lib/distcc}. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/lib/distcc");

    private static final String[] STRIPPED_PREFIXES = {"/bin/", "/usr/bin/"};

    public MasqueradePolicy {
        Objects.requireNonNull(directory, "directory");
    }

    /** The policy over {@link #DEFAULT_DIRECTORY}. */
    public static MasqueradePolicy standard() {
        return new MasqueradePolicy(DEFAULT_DIRECTORY);
    }

    @Override
    public CompilerDecision decide(String argv0) {
        String name = stripped(argv0);
        if (name.indexOf('/') >= 0) {
            return new CompilerDecision.Refused("compiler name <" + Printable.of(argv0)
                    + "> cannot be an absolute path (or must set DISTCC_CMDLIST or pass --enable-tcp-insecure)");
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..") || Printable.hasControl(name)) {
            return new CompilerDecision.Refused(
                    "compiler name <" + Printable.of(argv0) + "> is not a valid file name");
        }
        if (!isExecutableEntry(name)) {
            return new CompilerDecision.Refused(
                    Printable.of(name) + " not in " + Printable.of(directory.toString()) + " whitelist");
        }
        return new CompilerDecision.Allowed(name);
    }

    /** {@code argv0} without a leading {@code /bin/} or {@code /usr/bin/}, ignoring ASCII case. */
    static String stripped(String argv0) {
        for (String prefix : STRIPPED_PREFIXES) {
            if (startsWithIgnoringAsciiCase(argv0, prefix)) {
                return argv0.substring(prefix.length());
            }
        }
        return argv0;
    }

    /**
     * Like C's {@code strncasecmp}: only A-Z fold. ({@link String#regionMatches(boolean, int,
     * String, int, int)} would also take a dotless {@code ı} for {@code i}.)
     */
    private static boolean startsWithIgnoringAsciiCase(String text, String lowerPrefix) {
        if (text.length() < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            char c = text.charAt(i);
            char folded = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (folded != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A regular file (after symlinks) that we may execute; a directory entry does not count. */
    private boolean isExecutableEntry(String name) {
        try {
            Path entry = directory.resolve(name);
            return Files.isRegularFile(entry) && Files.isExecutable(entry);
        } catch (InvalidPathException | SecurityException e) {
            return false;
        }
    }
}
