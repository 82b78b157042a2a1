package org.jdistcc.metrics;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes one page of the Prometheus text exposition format 0.0.4. Each family is announced once
 * with {@link #family} (its HELP and TYPE lines), then its samples follow. Names are checked against
 * the format's grammar, HELP text and label values are escaped, so any page this writes parses;
 * a mistake in a name or a family announced twice is a programming error and throws.
 *
 * <pre>{@code
 * PrometheusText page = new PrometheusText();
 * page.family("jobs_total", PrometheusText.Type.COUNTER, "Jobs finished.");
 * page.sample("jobs_total", 3, "outcome", "ok");
 * page.family("wait_seconds", PrometheusText.Type.HISTOGRAM, "Time waited.");
 * page.histogram("wait_seconds", histogram.snapshot());
 * String text = page.toString();
 * }</pre>
 */
public final class PrometheusText {
    /** The Content-Type of a page in this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** A family's type, as its TYPE line spells it. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final StringBuilder out = new StringBuilder();
    private final Set<String> families = new HashSet<>();

    /** Announces a family: its HELP and TYPE lines. Its samples must follow before the next family. */
    public PrometheusText family(String name, Type type, String help) {
        checkName(name);
        if (!families.add(name)) {
            throw new IllegalStateException("family announced twice: " + name);
        }
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type.word()).append('\n');
        return this;
    }

    /**
     * Writes one sample of a counter or gauge.
     *
     * @param labels label names and values, alternating
     */
    public PrometheusText sample(String name, double value, String... labels) {
        checkName(name);
        out.append(name);
        appendLabels(labels, null);
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    /** Writes one histogram: its cumulative buckets, {@code _sum} and {@code _count}. */
    public PrometheusText histogram(String name, Histogram.Snapshot snapshot, String... labels) {
        checkName(name);
        double[] bounds = snapshot.bounds();
        long[] cumulative = snapshot.cumulative();
        for (int i = 0; i <= bounds.length; i++) {
            out.append(name).append("_bucket");
            appendLabels(labels, i < bounds.length ? format(bounds[i]) : "+Inf");
            out.append(' ').append(cumulative[i]).append('\n');
        }
        out.append(name).append("_sum");
        appendLabels(labels, null);
        out.append(' ').append(format(snapshot.sum())).append('\n');
        out.append(name).append("_count");
        appendLabels(labels, null);
        out.append(' ').append(snapshot.count()).append('\n');
        return this;
    }

    /** The page so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void appendLabels(String[] labels, String le) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        if (labels.length == 0 && le == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__") || labels[i].equals("le")) {
                throw new IllegalArgumentException("bad label name: " + labels[i]);
            }
            if (i > 0) {
                out.append(',');
            }
            out.append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
        }
        if (le != null) {
            out.append(labels.length > 0 ? "," : "").append("le=\"").append(le).append('"');
        }
        out.append('}');
    }

    private static void checkName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name: " + name);
        }
    }

    /** A sample value: whole numbers without a fraction, others in plain decimal, and the specials. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
    }
}
