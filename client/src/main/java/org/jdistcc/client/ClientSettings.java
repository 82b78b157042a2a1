package org.jdistcc.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jdistcc.client.schedule.Backoff;
import org.jdistcc.client.schedule.SlotWaiter;
import org.jdistcc.protocol.ExitCode;

/**
 * The client's environment variables (reference §4.1), read once per invocation. distcc's booleans
 * take only "1" and "0"; anything else means the default.
 *
 * @param distccDir        $DISTCC_DIR, else ~/.distcc
 * @param distccDirGiven   whether DISTCC_DIR was set (then distcc does not create it)
 * @param connectTimeout   DISTCC_CONNECT_TIMEOUT seconds (ours; stock hard-codes 4)
 */
public record ClientSettings(boolean fallback, boolean skipLocalRetry, Duration backoffPeriod, Duration ioTimeout,
                             Duration pause, Duration connectTimeout, boolean saveTemps, boolean verbose,
                             Path logFile, Path tmpDir, Path distccDir, boolean distccDirGiven, boolean rewriteCross) {

    /** Reads the settings; a bad DISTCC_IO_TIMEOUT is a bad argument (101), as in distcc. */
    public static ClientSettings from(Map<String, String> env) throws ClientException {
        String home = env.getOrDefault("HOME", "/");
        String dir = env.get("DISTCC_DIR");
        boolean dirGiven = dir != null && !dir.isEmpty();
        String log = env.get("DISTCC_LOG");
        String tmp = env.get("TMPDIR");
        return new ClientSettings(
                !"0".equals(env.get("DISTCC_FALLBACK")),
                env.containsKey("DISTCC_SKIP_LOCAL_RETRY"),
                Backoff.period(env),
                ioTimeout(env),
                SlotWaiter.pauseTime(env),
                Duration.ofSeconds(Math.max(1, seconds(env, "DISTCC_CONNECT_TIMEOUT", 4))),
                "1".equals(env.get("DISTCC_SAVE_TEMPS")),
                "1".equals(env.get("DISTCC_VERBOSE")),
                log == null || log.isEmpty() ? null : Path.of(log),
                Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp),
                dirGiven ? Path.of(dir) : Path.of(home, ".distcc"),
                dirGiven,
                !env.containsKey("DISTCC_NO_REWRITE_CROSS"));
    }

    private static Duration ioTimeout(Map<String, String> env) throws ClientException {
        String v = env.get("DISTCC_IO_TIMEOUT");
        if (v == null || v.isEmpty()) {
            return Duration.ofSeconds(300);
        }
        try {
            int s = Integer.parseInt(v.trim());
            if (s > 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ClientException(ExitCode.BAD_ARGUMENTS, "bad DISTCC_IO_TIMEOUT value: \"" + v + "\"");
    }

    /** A non-negative whole number from the environment, or the default when unset or junk. */
    private static long seconds(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n >= 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
