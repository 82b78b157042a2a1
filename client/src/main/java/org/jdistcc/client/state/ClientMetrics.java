package org.jdistcc.client.state;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's counters over the life of one process (the agent: every job of one
 * {@code DISTCC_DIR}), in the Prometheus text exposition format 0.0.4. Thread-safe.
 *
 * <p>The format is written here, not with Prometheus' Java client: six metric families are a few
 * lines, the client library would add its model and exposition jars to a JVM whose start-up matters,
 * and {@code promtool check metrics} checks the result in the tests.
 */
public final class ClientMetrics {
    private final Map<Outcome, LongAdder> jobs = new EnumMap<>(Outcome.class);
    private final Map<FallbackReason, LongAdder> fallbacks = new EnumMap<>(FallbackReason.class);
    private final ConcurrentMap<String, LongAdder> backoffs = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final AtomicLong changes = new AtomicLong();
    private final long startSeconds;

    /** @param startSeconds when the process started, in seconds since the epoch */
    public ClientMetrics(long startSeconds) {
        this.startSeconds = startSeconds;
        for (Outcome o : Outcome.values()) {
            jobs.put(o, new LongAdder());
        }
        for (FallbackReason r : FallbackReason.values()) {
            fallbacks.put(r, new LongAdder());
        }
    }

    void started() {
        inFlight.incrementAndGet();
        changes.incrementAndGet();
    }

    void finished(Outcome outcome) {
        jobs.get(outcome).increment();
        inFlight.decrementAndGet();
        changes.incrementAndGet();
    }

    void fellBack(FallbackReason reason) {
        fallbacks.get(reason).increment();
        changes.incrementAndGet();
    }

    void backedOff(String host) {
        backoffs.computeIfAbsent(host, h -> new LongAdder()).increment();
        changes.incrementAndGet();
    }

    void transferred(long sentBytes, long receivedBytes) {
        sent.add(sentBytes);
        received.add(receivedBytes);
        changes.incrementAndGet();
    }

    /** A number that changes whenever a value does: whether a published copy is out of date. */
    public long version() {
        return changes.get();
    }

    /** Jobs finished with {@code outcome} so far. */
    public long jobs(Outcome outcome) {
        return jobs.get(outcome).sum();
    }

    /** All the metrics, in the text exposition format. */
    public String exposition() {
        StringBuilder b = new StringBuilder();
        family(b, "jdistcc_client_jobs_total", "counter", "Jobs the distcc client finished, by where the result came from.");
        jobs.forEach((o, n) -> sample(b, "jdistcc_client_jobs_total", "outcome", o.label(), n.sum()));
        family(b, "jdistcc_client_fallbacks_total", "counter",
                "Jobs that could not be distributed and ran locally, by reason.");
        fallbacks.forEach((r, n) -> sample(b, "jdistcc_client_fallbacks_total", "reason", r.label(), n.sum()));
        family(b, "jdistcc_client_host_backoffs_total", "counter", "Times a host was backed off after a failure.");
        new TreeMap<>(backoffs).forEach((h, n) -> sample(b, "jdistcc_client_host_backoffs_total", "host", h, n.sum()));
        family(b, "jdistcc_client_jobs_in_flight", "gauge", "Jobs running now.");
        b.append("jdistcc_client_jobs_in_flight ").append(inFlight.get()).append('\n');
        family(b, "jdistcc_client_sent_bytes_total", "counter", "Bytes of requests sent to distcc servers.");
        b.append("jdistcc_client_sent_bytes_total ").append(sent.sum()).append('\n');
        family(b, "jdistcc_client_received_bytes_total", "counter", "Bytes of answers received from distcc servers.");
        b.append("jdistcc_client_received_bytes_total ").append(received.sum()).append('\n');
        family(b, "jdistcc_client_start_time_seconds", "gauge", "When the client process started, since the epoch.");
        b.append("jdistcc_client_start_time_seconds ").append(startSeconds).append('\n');
        return b.toString();
    }

    private static void family(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String label, String value, long n) {
        b.append(name).append('{').append(label).append("=\"").append(escape(value)).append("\"} ").append(n)
                .append('\n');
    }

    /** A label value as the format wants it: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
