package org.jdistcc.client.state;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitoring of a client process: hands each job a {@link JobRecorder} writing to the job's own
 * {@code DISTCC_DIR}, keeps the process's {@link ClientMetrics}, and can rewrite the state of every
 * job in flight ({@link #refresh}), so that a job that stays in one phase longer than a monitor's
 * stale limit (60 s) does not vanish from it, which it would with stock distcc.
 */
public final class Monitoring {
    private final Clock clock;
    private final ClientMetrics metrics;
    private final Set<JobRecorder> inFlight = ConcurrentHashMap.newKeySet();

    public Monitoring(Clock clock, ClientMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Monitoring for a process that runs one job: state files and the fallback log, metrics unseen. */
    public static Monitoring forOneJob(Clock clock) {
        return new Monitoring(clock, new ClientMetrics(clock.instant().getEpochSecond()));
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    /**
     * Starts recording a job.
     *
     * @param pid the process the job belongs to: the one make started (the front-end, for the agent)
     */
    public JobRecorder start(long pid, Path distccDir) {
        JobRecorder r = new JobRecorder(pid, StateDirectory.under(distccDir), FallbackLog.under(distccDir), metrics,
                clock);
        inFlight.add(r);
        return r;
    }

    /** Ends {@code job} (see {@link JobRecorder#finish}). */
    public void finish(JobRecorder job, boolean cancelled) {
        inFlight.remove(job);
        job.finish(cancelled);
    }

    /** Rewrites the state file of every job in flight. */
    public void refresh() {
        inFlight.forEach(JobRecorder::rewrite);
    }
}
