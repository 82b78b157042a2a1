package org.jdistcc.client.hosts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where this run's host list comes from, and its text. The first that exists wins, as in distcc
 * 3.4's {@code dcc_get_hostlist}:
 *
 * <ol>
 *   <li>{@code $DISTCC_HOSTS}, even when set but empty (which then fails to parse: "contained no
 *       hosts");
 *   <li>{@code $DISTCC_DIR/hosts}, {@code DISTCC_DIR} defaulting to {@code $HOME/.distcc}, if
 *       readable;
 *   <li>the system file, {@code /etc/distcc/hosts} on packaged builds, if readable.
 * </ol>
 *
 * <p>When none exists distcc warns "no hostlist is set; can't distribute work" and compiles
 * locally; {@link #find} returns empty and leaves the message to its caller. The environment and
 * home directory are passed in; the only I/O is checking and reading those two files. Unlike distcc,
 * nothing creates {@code ~/.distcc} here.
 *
 * @param text the host list, in {@link HostSpecParser}'s grammar
 * @param origin {@code $DISTCC_HOSTS} or the file's path, for messages
 */
public record HostListSource(String text, String origin) {
    /** The environment variable that holds a host list. */
    public static final String HOSTS_VARIABLE = "DISTCC_HOSTS";
    /** The environment variable naming distcc's directory. */
    public static final String DIR_VARIABLE = "DISTCC_DIR";
    /** The system-wide host file of packaged distcc. */
    public static final Path DEFAULT_SYSCONF_HOSTS = Path.of("/etc/distcc/hosts");
    /** A host file longer than this is an I/O error rather than a list. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    public HostListSource {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(origin, "origin");
    }

    /** {@link #find(Map, Path, Path)} with {@link #DEFAULT_SYSCONF_HOSTS}. */
    public static Optional<HostListSource> find(Map<String, String> env, Path home) throws IOException {
        return find(env, home, DEFAULT_SYSCONF_HOSTS);
    }

    /**
     * Finds the host list as the class comment says.
     *
     * @param env the process environment
     * @param home the user's home directory, for the {@code ~/.distcc} default
     * @param sysconfHosts the system-wide host file
     * @return the first source that exists, or empty if none does
     * @throws IOException if a readable host file cannot be read, or is over {@link #MAX_FILE_BYTES}
     */
    public static Optional<HostListSource> find(Map<String, String> env, Path home, Path sysconfHosts)
            throws IOException {
        Objects.requireNonNull(sysconfHosts, "sysconfHosts");
        String variable = env.get(HOSTS_VARIABLE);
        if (variable != null) {
            return Optional.of(new HostListSource(variable, "$" + HOSTS_VARIABLE));
        }
        for (Path file : new Path[] {distccDir(env, home).resolve("hosts"), sysconfHosts}) {
            if (Files.isReadable(file)) {
                return Optional.of(new HostListSource(read(file), file.toString()));
            }
        }
        return Optional.empty();
    }

    /**
     * distcc's directory: {@code $DISTCC_DIR}, or {@code <home>/.distcc} when it is unset. An
     * empty {@code DISTCC_DIR} counts as unset (distcc 3.4 would use {@code /hosts} and {@code /lock}).
     */
    public static Path distccDir(Map<String, String> env, Path home) {
        String dir = env.get(DIR_VARIABLE);
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        return Objects.requireNonNull(home, "home").resolve(".distcc");
    }

    /** Parses {@link #text}; the "contained no hosts" message names {@link #origin}. */
    public HostList parse() throws BadHostSpecException {
        return HostSpecParser.parse(text, origin);
    }

    /** The file as UTF-8, malformed sequences replaced by U+FFFD. */
    private static String read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException(file + ": host file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
