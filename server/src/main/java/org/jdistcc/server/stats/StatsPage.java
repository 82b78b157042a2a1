package org.jdistcc.server.stats;

import java.util.LinkedHashMap;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The page distccd 3.4 serves on its stats port, field for field: an HTTP/1.0 header, then
 * {@code argv /distccd} and one {@code name value} line per figure between {@code <distccstats>}
 * tags, every line ending in a bare LF (reference §5.6, checked against the stock binary).
 *
 * @param longestJob          the input of the longest successful job, or "none"
 * @param longestJobTimeMsecs its time, -1 before the first
 * @param avgKids             busy compile slots on average over 1, 5 and 15 minutes
 * @param load                the load averages over 1, 5 and 15 minutes
 * @param numCompiles         jobs finished in about the last 1, 5 and 15 minutes
 * @param ioRate              disk sectors read and written per second, -1 before the second sample
 */
public record StatsPage(long tcpAccept, long rejBadReq, long rejOverload, long compileOk, long compileError,
                        long compileTimeout, long cliDisconnect, long other, String longestJob,
                        String longestJobCompiler, long longestJobTimeMsecs, int maxKids, int[] avgKids,
                        int currentLoad, double[] load, int[] numCompiles, int procstateD, long maxRss,
                        String maxRssName, long ioRate, long freeSpaceMb) {

    /** The HTTP header distccd sends before the figures, LF line endings included. */
    static final String HEADER = "HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\n";

    /** The page as distccd writes it. */
    public String render() {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("argv /distccd\n<distccstats>\n");
        line(sb, "dcc_tcp_accept", tcpAccept);
        line(sb, "dcc_rej_bad_req", rejBadReq);
        line(sb, "dcc_rej_overload", rejOverload);
        line(sb, "dcc_compile_ok", compileOk);
        line(sb, "dcc_compile_error", compileError);
        line(sb, "dcc_compile_timeout", compileTimeout);
        line(sb, "dcc_cli_disconnect", cliDisconnect);
        line(sb, "dcc_other", other);
        line(sb, "dcc_longest_job", longestJob);
        line(sb, "dcc_longest_job_compiler", longestJobCompiler);
        line(sb, "dcc_longest_job_time_msecs", longestJobTimeMsecs);
        line(sb, "dcc_max_kids", maxKids);
        for (int i = 0; i < 3; i++) {
            line(sb, "dcc_avg_kids" + (i + 1), avgKids[i]);
        }
        line(sb, "dcc_current_load", currentLoad);
        for (int i = 0; i < 3; i++) {
            line(sb, "dcc_load" + (i + 1), twoDecimals(load[i]));
        }
        for (int i = 0; i < 3; i++) {
            line(sb, "dcc_num_compiles" + (i + 1), numCompiles[i]);
        }
        line(sb, "dcc_num_procstate_D", procstateD);
        line(sb, "dcc_max_RSS", maxRss);
        line(sb, "dcc_max_RSS_name", maxRssName);
        line(sb, "dcc_io_rate", ioRate);
        line(sb, "dcc_free_space", freeSpaceMb + " MB");
        return sb.append("</distccstats>\n").toString();
    }

    /**
     * printf's {@code %1.2lf}: the double's exact binary value rounded half-even, so 1.005 (really
     * 1.00499...) prints as 1.00 as in C, where {@code String.format} would print 1.01.
     */
    static String twoDecimals(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static void line(StringBuilder sb, String name, Object value) {
        sb.append(name).append(' ').append(value).append('\n');
    }

    /**
     * Reads the figures of a stats page, ours or stock distccd's, in page order: each line between
     * the tags is a name, one space, and the value (the rest of the line). The HTTP header and the
     * {@code argv} line are skipped.
     *
     * @throws IllegalArgumentException if the page has no {@code <distccstats>} block or a line in it
     *                                  has no value
     */
    public static Map<String, String> parse(String page) {
        int open = page.indexOf("\n<distccstats>\n");
        int close = page.indexOf("</distccstats>", Math.max(open, 0));
        if (open < 0 || close < 0) {
            throw new IllegalArgumentException("not a distccd stats page: no <distccstats> block");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String body = page.substring(open + "\n<distccstats>\n".length(), close);
        for (String line : body.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                throw new IllegalArgumentException("stats line without a value: " + line);
            }
            fields.put(line.substring(0, space), line.substring(space + 1));
        }
        return fields;
    }
}
