package org.jdistcc.client.state;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.jdistcc.client.hosts.HostSpec;

/**
 * The monitoring of one job: its state file ({@code binstate_<pid>}, rewritten at each phase and
 * removed by {@link #finish}), its fallback in the {@link FallbackLog}, and its share of the
 * {@link ClientMetrics}. A state file or log that cannot be written costs the monitor only, never
 * the job, as in stock distcc.
 */
public final class JobRecorder implements JobEvents {
    private final long pid;
    private final StateDirectory states;
    private final FallbackLog fallbacks;
    private final ClientMetrics metrics;
    private final Clock clock;
    private String file = "";
    private volatile TaskState current;
    private Outcome outcome;
    private boolean finished;

    JobRecorder(long pid, StateDirectory states, FallbackLog fallbacks, ClientMetrics metrics, Clock clock) {
        this.pid = pid;
        this.states = states;
        this.fallbacks = fallbacks;
        this.metrics = metrics;
        this.clock = clock;
        metrics.started();
    }

    @Override
    public void input(String path) {
        String name = Path.of(path).getFileName() == null ? path : Path.of(path).getFileName().toString();
        file = name;
    }

    @Override
    public void phase(Phase phase, String host, int slot) {
        current = new TaskState(pid, file, host, slot, phase);
        rewrite();
    }

    /** Writes the current state again: a job that stays in one phase for long does not look stale. */
    void rewrite() {
        TaskState s = current;
        if (s != null) {
            try {
                states.write(s);
            } catch (IOException | RuntimeException e) {
                // no monitor will see this job; it runs all the same
            }
        }
    }

    @Override
    public void transferred(long sent, long received) {
        metrics.transferred(sent, received);
    }

    @Override
    public void backedOff(HostSpec host) {
        metrics.backedOff(label(host));
    }

    /** A host as a metric label: {@code host:port} for TCP, {@code @host} for SSH, else its token. */
    static String label(HostSpec host) {
        return switch (host) {
            case HostSpec.Tcp t -> t.host().contains(":") ? "[" + t.host() + "]:" + t.port() : t.host() + ":" + t.port();
            case HostSpec.Ssh s -> "@" + s.host();
            case HostSpec.Local l -> TaskState.LOCALHOST;
        };
    }

    @Override
    public void fellBack(FallbackReason reason, String why) {
        outcome = Outcome.FALLBACK;
        metrics.fellBack(reason);
        try {
            fallbacks.append(new Fallback(clock.instant(), pid, reason.label(), file, why));
        } catch (IOException | RuntimeException e) {
            // the warning line on stderr still says it
        }
    }

    @Override
    public void outcome(Outcome o) {
        outcome = o;
    }

    /** Ends the job: its state file goes, and it counts under its outcome (cancelled or failed when none was given). */
    public synchronized void finish(boolean cancelled) {
        if (finished) {
            return;
        }
        finished = true;
        current = null;
        try {
            states.remove(pid);
        } catch (IOException e) {
            // a monitor removes it once the process is gone
        }
        metrics.finished(cancelled ? Outcome.CANCELLED : outcome == null ? Outcome.FAILED : outcome);
    }
}
