package org.jdistcc.client.state;

import static org.jdistcc.metrics.PrometheusText.Type.COUNTER;
import static org.jdistcc.metrics.PrometheusText.Type.GAUGE;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jdistcc.metrics.PrometheusText;

/**
 * The client's counters over the life of one process (the agent: every job of one
 * {@code DISTCC_DIR}), in the Prometheus text exposition format 0.0.4. Thread-safe.
 *
 * <p>Written with the {@code metrics} module's {@link PrometheusText}, which distccd uses too, not
 * Prometheus' Java client: its model and exposition jars would add to a JVM whose start-up matters,
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
        PrometheusText page = new PrometheusText();
        page.family("jdistcc_client_jobs_total", COUNTER, "Jobs the distcc client finished, by where the result came from.");
        jobs.forEach((o, n) -> page.sample("jdistcc_client_jobs_total", n.sum(), "outcome", o.label()));
        page.family("jdistcc_client_fallbacks_total", COUNTER,
                "Jobs that could not be distributed and ran locally, by reason.");
        fallbacks.forEach((r, n) -> page.sample("jdistcc_client_fallbacks_total", n.sum(), "reason", r.label()));
        page.family("jdistcc_client_host_backoffs_total", COUNTER, "Times a host was backed off after a failure.");
        new TreeMap<>(backoffs).forEach((h, n) -> page.sample("jdistcc_client_host_backoffs_total", n.sum(), "host", h));
        page.family("jdistcc_client_jobs_in_flight", GAUGE, "Jobs running now.");
        page.sample("jdistcc_client_jobs_in_flight", inFlight.get());
        page.family("jdistcc_client_sent_bytes_total", COUNTER, "Bytes of requests sent to distcc servers.");
        page.sample("jdistcc_client_sent_bytes_total", sent.sum());
        page.family("jdistcc_client_received_bytes_total", COUNTER, "Bytes of answers received from distcc servers.");
        page.sample("jdistcc_client_received_bytes_total", received.sum());
        page.family("jdistcc_client_start_time_seconds", GAUGE, "When the client process started, since the epoch.");
        page.sample("jdistcc_client_start_time_seconds", startSeconds);
        return page.toString();
    }
}
