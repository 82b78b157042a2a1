package org.jdistcc.server.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.jdistcc.metrics.Histogram;
import org.jdistcc.metrics.PrometheusText;
import org.jdistcc.protocol.IncludedFile;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;
import org.jdistcc.server.job.JobEvents;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.server.job.Refusal;

/**
 * Everything distccd counts about its job connections, from their {@link JobEvents}, and the two
 * pages made of it: distccd 3.4's {@link StatsPage} and the Prometheus text of {@link #metrics}.
 * Thread-safe; events are cheap (adders and short locks), pages are built when asked for.
 */
public final class ServerStats implements JobEvents {
    private static final double[] WAIT_BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300};
    private static final double[] COMPILE_BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

    private final Clock clock;
    private final int maxKids;
    private final IntSupplier compilersRunning;
    private final SystemFigures system;

    private final LongAdder accepted = new LongAdder();
    private final Map<JobResult, LongAdder> results = new EnumMap<>(JobResult.class);
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bodyBytesReceived = new LongAdder();
    private final LongAdder bodyBytesSent = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Histogram queueWait = new Histogram(WAIT_BOUNDS);
    private final Histogram compileTime = new Histogram(COMPILE_BOUNDS);
    private final RecentCompiles recent = new RecentCompiles();
    private final BusyAverage busy = new BusyAverage();
    private final Object diskLock = new Object();
    private Longest longest;
    private long lastSectors = -1;
    private Instant lastSectorsAt;
    private long ioRate = -1;

    private record Longest(String input, String compiler, long millis) {
    }

    /**
     * @param maxKids          the compile slots ({@code --jobs}), shown as {@code dcc_max_kids}
     * @param compilersRunning how many compilers run now
     * @param system           the machine's figures for the stock page
     */
    public ServerStats(Clock clock, int maxKids, IntSupplier compilersRunning, SystemFigures system) {
        this.clock = clock;
        this.maxKids = maxKids;
        this.compilersRunning = compilersRunning;
        this.system = system;
        for (JobResult r : JobResult.values()) {
            results.put(r, new LongAdder());
        }
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
    }

    @Override
    public void connected() {
        accepted.increment();
        inFlight.incrementAndGet();
    }

    @Override
    public void disconnected() {
        inFlight.decrementAndGet();
    }

    @Override
    public void refused(Refusal reason) {
        refusals.get(reason).increment();
    }

    @Override
    public void bytesReceived(long bytes) {
        bytesReceived.add(bytes);
    }

    @Override
    public void bytesSent(long bytes) {
        bytesSent.add(bytes);
    }

    @Override
    public void requestRead(Request request) {
        long bodies = switch (request) {
            case Request.Plain plain -> plain.source().length;
            case Request.Pump pump -> pump.files().stream()
                    .mapToLong(f -> f instanceof IncludedFile.Contents c ? c.contents().length : 0).sum();
        };
        bodyBytesReceived.add(bodies);
    }

    @Override
    public void slotAcquired(Duration wait) {
        queueWait.observe(seconds(wait));
    }

    @Override
    public void compilerRan(Duration time) {
        compileTime.observe(seconds(time));
    }

    @Override
    public void replySent(Response response) {
        long bodies = response.stderr().length + response.stdout().length;
        if (response.succeeded()) {
            bodies += response.object().length;
            bodies += response.dependencies() == null ? 0 : response.dependencies().length;
        }
        bodyBytesSent.add(bodies);
    }

    @Override
    public void finished(JobReport report) {
        results.get(report.result()).increment();
        if (report.result() == JobResult.REJ_BAD_REQ) {
            refusals.get(report.refusal() == null ? Refusal.BAD_REQUEST : report.refusal()).increment();
        }
        Instant now = clock.instant();
        switch (report.result()) {
            case COMPILE_OK -> {
                busy.add(now.minus(report.time()), now);
                noteLongest(report);
                recent.add(now);
            }
            case COMPILE_ERROR, COMPILE_TIMEOUT, CLI_DISCONN -> recent.add(now);
            default -> { }
        }
    }

    private synchronized void noteLongest(JobReport report) {
        long millis = report.time().toMillis();
        if (longest == null || millis > longest.millis()) {
            longest = new Longest(report.input(), report.compiler(), millis);
        }
    }

    /** distccd 3.4's page as of now. */
    public StatsPage page() {
        Instant now = clock.instant();
        Longest l;
        synchronized (this) {
            l = longest;
        }
        SystemFigures.Load load = system.load();
        SystemFigures.Processes processes = system.processes();
        return new StatsPage(accepted.sum(), count(JobResult.REJ_BAD_REQ), count(JobResult.REJ_OVERLOAD),
                count(JobResult.COMPILE_OK), count(JobResult.COMPILE_ERROR), count(JobResult.COMPILE_TIMEOUT),
                count(JobResult.CLI_DISCONN), count(JobResult.OTHER),
                l == null ? "none" : l.input(), l == null ? "none" : l.compiler(), l == null ? -1 : l.millis(),
                maxKids, busy.averages(now), load.running(), load.averages(), recent.totals(now),
                processes.stateD(), processes.maxRssKb(), processes.maxRssName(), ioRate(now),
                system.freeSpaceMb());
    }

    /** Disk sectors per second since the last sample, resampled at most every 50 s; -1 at first. */
    private long ioRate(Instant now) {
        synchronized (diskLock) {
            if (lastSectorsAt == null || now.isAfter(lastSectorsAt.plusSeconds(50))) {
                long sectors = system.diskSectors();
                if (lastSectorsAt != null) {
                    long seconds = Math.max(1, Duration.between(lastSectorsAt, now).toSeconds());
                    ioRate = (sectors - lastSectors) / seconds;
                }
                lastSectors = sectors;
                lastSectorsAt = now;
            }
            return ioRate;
        }
    }

    /** The Prometheus text exposition (format 0.0.4) of the job counters. */
    public String metrics() {
        PrometheusText page = new PrometheusText();
        page.family("distccd_connections_total", PrometheusText.Type.COUNTER,
                "Connections accepted on the job port, refused ones included (dcc_tcp_accept).");
        page.sample("distccd_connections_total", accepted.sum());
        page.family("distccd_jobs_total", PrometheusText.Type.COUNTER,
                "Connections finished, by outcome in distccd's words (dcc_compile_ok and so on).");
        for (JobResult r : JobResult.values()) {
            page.sample("distccd_jobs_total", count(r), "outcome", r.name().toLowerCase(Locale.ROOT));
        }
        page.family("distccd_refusals_total", PrometheusText.Type.COUNTER,
                "Connections refused before compiling, by reason: access (--allow), compiler (allow-list), "
                        + "arguments, bad_request, busy (request memory full).");
        for (Refusal r : Refusal.values()) {
            page.sample("distccd_refusals_total", refusals.get(r).sum(), "reason", r.name().toLowerCase(Locale.ROOT));
        }
        page.family("distccd_queue_wait_seconds", PrometheusText.Type.HISTOGRAM,
                "Time a job waited for a compile slot (--jobs).");
        page.histogram("distccd_queue_wait_seconds", queueWait.snapshot());
        page.family("distccd_compile_seconds", PrometheusText.Type.HISTOGRAM,
                "Time the compiler ran, whatever its outcome.");
        page.histogram("distccd_compile_seconds", compileTime.snapshot());
        page.family("distccd_received_bytes_total", PrometheusText.Type.COUNTER,
                "Bytes read from clients on the job port as sent: LZO-compressed bodies for protocols 2 and 3.");
        page.sample("distccd_received_bytes_total", bytesReceived.sum());
        page.family("distccd_received_uncompressed_body_bytes_total", PrometheusText.Type.COUNTER,
                "Request bodies (the source, and the files of pump requests) after decompression.");
        page.sample("distccd_received_uncompressed_body_bytes_total", bodyBytesReceived.sum());
        page.family("distccd_sent_bytes_total", PrometheusText.Type.COUNTER,
                "Bytes written to clients on the job port as sent: LZO-compressed bodies for protocols 2 and 3.");
        page.sample("distccd_sent_bytes_total", bytesSent.sum());
        page.family("distccd_sent_uncompressed_body_bytes_total", PrometheusText.Type.COUNTER,
                "Reply bodies (compiler stderr and stdout, object, dependencies) before compression.");
        page.sample("distccd_sent_uncompressed_body_bytes_total", bodyBytesSent.sum());
        page.family("distccd_jobs_in_flight", PrometheusText.Type.GAUGE,
                "Job connections open now, from accept to close.");
        page.sample("distccd_jobs_in_flight", inFlight.get());
        page.family("distccd_compilers_running", PrometheusText.Type.GAUGE, "Compilers running now.");
        page.sample("distccd_compilers_running", compilersRunning.getAsInt());
        page.family("distccd_job_slots", PrometheusText.Type.GAUGE, "Compile slots (--jobs).");
        page.sample("distccd_job_slots", maxKids);
        return page.toString();
    }

    private long count(JobResult result) {
        return results.get(result).sum();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
