package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jdistcc.client.hosts.HostList;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.client.schedule.Acquisition;
import org.jdistcc.client.schedule.Backoff;
import org.jdistcc.client.schedule.SlotWaiter;
import org.jdistcc.client.schedule.Target;
import org.jdistcc.client.state.FallbackReason;
import org.jdistcc.client.state.JobEvents;
import org.jdistcc.client.state.Outcome;
import org.jdistcc.client.state.Phase;
import org.jdistcc.client.state.TaskState;
import org.jdistcc.compiler.ArgumentScanner;
import org.jdistcc.compiler.ClientArguments;
import org.jdistcc.compiler.ScanResult;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Response;

/**
 * One compiler command, distributed if it can be (reference §2.4–2.6, §3.5–3.6): scan it; take a
 * host slot; preprocess locally; send; on an answer, write the outputs or deal with the compiler's
 * failure; on a distribution failure, back the host off and try the next one; when no host is left,
 * compile locally, saying why in one line. A distribution problem never fails the build unless
 * {@code DISTCC_FALLBACK=0}.
 */
final class Compilation {
    private static final String WHERE = "dcc_build_somewhere";

    private final Invocation inv;
    private final Map<String, String> env;
    private final ClientSettings settings;
    private final ClientLog log;
    private final LocalRun local;
    private final RemoteJob remote;
    private final SlotWaiter waiter;
    private final Backoff backoff;
    private JobEvents events = JobEvents.NONE;
    private final PumpMode pump;

    Compilation(Invocation inv, Map<String, String> env, ClientSettings settings, ClientLog log, LocalRun local,
                RemoteJob remote, SlotWaiter waiter, Backoff backoff, PumpMode pump) {
        this.inv = inv;
        this.env = env;
        this.settings = settings;
        this.log = log;
        this.local = local;
        this.remote = remote;
        this.waiter = waiter;
        this.backoff = backoff;
        this.pump = pump;
    }

    /** Reports this job's phases, fallback and outcome to {@code e} (the monitors' seam). */
    Compilation observedBy(JobEvents e) {
        this.events = e;
        return this;
    }

    /** Compiles {@code argv}; {@code hosts} is empty when there is no usable host list. */
    int run(List<String> argv, Optional<HostList> hosts) throws InterruptedException {
        List<String> expanded = ClientArguments.expandPreprocessorOptions(argv);
        ScanResult scan = ArgumentScanner.scan(expanded);
        int localSlots = hosts.map(HostList::localSlots).orElse(HostList.DEFAULT_LOCAL_SLOTS);
        switch (scan) {
            case ScanResult.Local l -> {
                log.debug("dcc_scan_args", "compiling locally: " + l.message());
                int slots = l.reason().usesCppSlot()
                        ? hosts.map(HostList::localSlotsCpp).orElse(HostList.DEFAULT_LOCAL_SLOTS_CPP) : localSlots;
                events.outcome(Outcome.LOCAL);
                return runLocally(argv, slots);
            }
            case ScanResult.Distribute job -> {
                events.input(job.input());
                if (hosts.isEmpty()) {
                    events.fellBack(FallbackReason.NO_HOST_LIST, "no usable host list");
                    return runLocally(argv, localSlots);
                }
                return distribute(argv, job, hosts.get());
            }
        }
    }

    /** What one try on one host came to. */
    private sealed interface Step {
        /** The job is over with this exit status. */
        record Finished(int status) implements Step {
        }

        /**
         * The compiler failed on the server; compile here to be sure (distcc's default).
         *
         * @param pumped whether the job went in pump mode (a local success is then a discrepancy)
         */
        record RetryLocally(int remoteStatus, HostSpec host, boolean pumped) implements Step {
        }

        /** The job did not get through this host; try another. */
        record TryAnother(FallbackReason reason, String why) implements Step {
        }
    }

    @SuppressWarnings("try") // the slot is held for the attempt, not used in it
    private int distribute(List<String> argv, ScanResult.Distribute job, HostList hosts) throws InterruptedException {
        Map<Target, HostSpec> specs = new IdentityHashMap<>();
        List<Target> targets = targets(hosts, specs);
        Set<String> failed = new HashSet<>();
        String why = "no host is available";
        FallbackReason reason = FallbackReason.NO_HOST_AVAILABLE;
        try (Preprocessed cpp = new Preprocessed(inv, env, settings, log, local, waiter, hosts.localSlotsCpp())) {
            if (hosts.allPreprocessHere()) {
                cpp.start(job); // whichever host takes it, the source is needed: make it while a slot is taken
            }
            for (int tries = 0; tries <= targets.size(); tries++) {
                Acquisition got;
                events.phase(Phase.BLOCKED, "", 0);
                try {
                    got = waiter.acquire(targets, failed, settings.ioTimeout());
                } catch (IOException e) {
                    why = "cannot use the lock directory in " + settings.distccDir() + ": " + describe(e);
                    reason = FallbackReason.LOCK_DIRECTORY;
                    break;
                }
                if (!(got instanceof Acquisition.Acquired acquired)) {
                    why = got instanceof Acquisition.TimedOut ? "every host slot stayed busy"
                            : failed.isEmpty() ? unavailable(hosts) : why;
                    reason = got instanceof Acquisition.TimedOut ? FallbackReason.SLOTS_BUSY : reason;
                    break;
                }
                HostSpec host = specs.get(acquired.target());
                Step step;
                try (var slot = acquired.slot()) {
                    step = attempt(argv, job, host, slot.index(), cpp);
                } catch (IOException e) {
                    // A file on this machine (temporary file, output, .d) failed us: no host is to blame.
                    why = "local I/O error: " + describe(e);
                    reason = FallbackReason.LOCAL_IO_ERROR;
                    break;
                }
                switch (step) {
                    case Step.Finished f -> {
                        return f.status();
                    }
                    case Step.RetryLocally r -> {
                        return retryLocally(argv, job, r, hosts.localSlots());
                    }
                    case Step.TryAnother t -> {
                        why = t.why();
                        reason = t.reason();
                        failed.add(host.lockName());
                    }
                }
            }
        }
        return fallBack(argv, job, reason, why, hosts.localSlots());
    }

    /**
     * The hosts as the scheduler sees them, in list order; {@code specs} maps each back to its host
     * spec, by identity, since a host may be listed twice.
     */
    private static List<Target> targets(HostList hosts, Map<Target, HostSpec> specs) {
        List<Target> targets = new ArrayList<>();
        for (HostSpec h : hosts.hosts()) {
            Target t = new Target(h.lockName(), h.slots(), h.down());
            targets.add(t);
            specs.put(t, h);
        }
        return targets;
    }

    /** Why no host of the list could even be tried: each is down, backed off or has no slots. */
    private String unavailable(HostList hosts) {
        List<String> reasons = new ArrayList<>();
        for (HostSpec h : hosts.hosts()) {
            String state;
            if (h.down()) {
                state = "is down";
            } else if (h.slots() < 1) {
                state = "has no slots";
            } else {
                try {
                    state = backoff.isBackedOff(h.lockName()) ? "is backed off after a recent failure" : "is busy";
                } catch (IOException e) {
                    state = "cannot be checked: " + describe(e);
                }
            }
            reasons.add(h.token() + " " + state);
        }
        return reasons.isEmpty() ? "the host list is empty" : String.join(", ", reasons);
    }

    /** An I/O failure in a few words: NIO's file exceptions name the file, but not always the problem. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof FileSystemException f && f.getReason() == null) {
            return e.getClass().getSimpleName() + ": " + m;
        }
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** One try on one host, holding its slot. */
    private Step attempt(List<String> argv, ScanResult.Distribute job, HostSpec host, int slot, Preprocessed cpp)
            throws IOException, InterruptedException {
        return switch (host) {
            case HostSpec.Local l -> {
                events.outcome(Outcome.LOCAL);
                events.phase(Phase.COMPILE, TaskState.LOCALHOST, slot);
                yield new Step.Finished(local.run(argv, inv, env));
            }
            case HostSpec.Ssh s -> remoteAttempt(job, s, s.options().lzo(), slot, cpp);
            case HostSpec.Tcp t -> remoteAttempt(job, t, t.options().lzo(), slot, cpp);
        };
    }

    /**
     * Sends the job to a TCP or SSH host. Pump hosts ({@code ,cpp,lzo}) get protocol 3 with the files
     * include analysis found, or protocol 2 when {@link PumpMode} keeps the job in plain mode. In
     * plain mode the preprocessor starts first (once, whatever the number of hosts tried; before a
     * host is even chosen when every host is a plain-mode one), the command line is sent meanwhile,
     * then the source once it is made.
     */
    private Step remoteAttempt(ScanResult.Distribute job, HostSpec host, boolean lzo, int slot, Preprocessed cpp)
            throws IOException, InterruptedException {
        if (host.protocol() == ProtocolVersion.V3) {
            Optional<PumpMode.Job> pumped = pump.prepare(job, inv, env, log);
            if (pumped.isPresent()) {
                log.debug(WHERE, "sending " + job.input() + " to " + host.token() + " in pump mode with "
                        + pumped.get().request().files().size() + " files");
                events.phase(Phase.CONNECT, TaskState.hostName(host), slot);
                return sent(remote.run(host, pumped.get().request(), events, slot), job, host, pumped.get(), true);
            }
        }
        cpp.start(job);
        events.phase(Phase.CONNECT, TaskState.hostName(host), slot);
        ProtocolVersion version = lzo ? ProtocolVersion.V2 : ProtocolVersion.V1;
        List<String> remoteArgv = ClientArguments.stripLocalOnly(job.argv());
        log.debug(WHERE, "sending " + job.input() + " to " + host.token() + " as " + remoteArgv);
        Attempt attempt;
        try (RemoteJob.Exchange exchange = remote.open(host, version, remoteArgv, events, slot)) {
            if (!exchange.failed()) {
                events.phase(Phase.CPP, TaskState.LOCALHOST, 0);
                OptionalInt cppFailed = cpp.ensure(job);
                if (cppFailed.isPresent()) {
                    events.outcome(Outcome.PREPROCESS_FAILED);
                    return new Step.Finished(cppFailed.getAsInt());
                }
                events.phase(Phase.SEND, TaskState.hostName(host), slot);
            }
            attempt = exchange.send(cpp.source());
        }
        return sent(attempt, job, host, cpp, false);
    }

    private Step sent(Attempt attempt, ScanResult.Distribute job, HostSpec host, DependencyOutput dotd, boolean pumped)
            throws IOException, InterruptedException {
        return switch (attempt) {
            case Attempt.Answered a -> answered(a.response(), job, host, dotd, pumped);
            case Attempt.DistributionFailed f -> {
                if (Thread.currentThread().isInterrupted()) {
                    // the caller went away (Ctrl-C): its job ends here, and the host is not to blame
                    throw new InterruptedException("job cancelled while on " + host.token());
                }
                log.warning(WHERE, "failed to distribute " + job.input() + " to " + host.token() + ": " + f.reason());
                markBackoff(host);
                yield new Step.TryAnother(FallbackReason.of(f.code()), host.token() + ": " + f.reason());
            }
        };
    }

    private Step answered(Response r, ScanResult.Distribute job, HostSpec host, DependencyOutput dotd, boolean pumped)
            throws IOException {
        events.outcome(Outcome.REMOTE);
        if (r.succeeded()) {
            OutputFile.write(inv.cwd().resolve(job.output()), r.object(), inv.umask());
            dotd.commit(r);
            relay(r);
            try {
                backoff.clear(host.lockName());
            } catch (IOException e) {
                log.warning(WHERE, "cannot clear the backoff of " + host.token() + ": " + describe(e));
            }
            return new Step.Finished(0);
        }
        if (settings.skipLocalRetry() || !settings.fallback()) {
            relay(r);
            return new Step.Finished(LocalRun.exitStatus(r.waitStatus()));
        }
        log.warning(WHERE, "remote compilation of '" + job.input() + "' on " + host.token()
                + " failed, retrying locally");
        return new Step.RetryLocally(r.waitStatus(), host, pumped);
    }

    private int retryLocally(List<String> argv, ScanResult.Distribute job, Step.RetryLocally retry, int localSlots)
            throws InterruptedException {
        events.outcome(Outcome.RETRIED_LOCALLY);
        int status = runLocally(argv, localSlots);
        int remoteStatus = LocalRun.exitStatus(retry.remoteStatus());
        if (retry.pumped() && status == 0) {
            pump.discrepancy(job.input(), env, log);
        }
        if (status != remoteStatus) {
            log.warning(WHERE, "local compile of '" + job.input() + "' gave status " + status + " where "
                    + retry.host().token() + " gave " + remoteStatus + "; backing that host off");
            markBackoff(retry.host());
        }
        return status;
    }

    /** Backs {@code host} off; a mark that cannot be written costs a warning, never the job. */
    private void markBackoff(HostSpec host) {
        try {
            backoff.mark(host.lockName());
            events.backedOff(host);
        } catch (IOException e) {
            log.warning(WHERE, "cannot back off " + host.token() + ": " + describe(e));
        }
    }

    private int fallBack(List<String> argv, ScanResult.Distribute job, FallbackReason reason, String why,
                         int localSlots) throws InterruptedException {
        if (!settings.fallback()) {
            events.outcome(Outcome.FAILED);
            log.error(WHERE, "failed to distribute " + job.input() + " (" + why + ") and fallbacks are disabled");
            return ExitCode.NO_HOSTS.code();
        }
        log.warning(WHERE, "failed to distribute " + job.input() + " (" + why + "), running locally instead");
        events.fellBack(reason, why);
        return runLocally(argv, localSlots);
    }

    private void relay(Response r) throws IOException {
        inv.stderr().write(r.stderr());
        inv.stderr().flush();
        inv.stdout().write(r.stdout());
        inv.stdout().flush();
    }

    /** Runs the command here, under one of the local slots when one can be had. */
    @SuppressWarnings("try") // the slot is held for the run, not used in it
    int runLocally(List<String> argv, int slots) throws InterruptedException {
        Acquisition got;
        try {
            got = waiter.acquireLocal(slots, settings.ioTimeout());
        } catch (IOException e) {
            log.debug(WHERE, "no local slot (" + e.getMessage() + "); running anyway");
            events.phase(Phase.COMPILE, TaskState.LOCALHOST, 0);
            return local.run(argv, inv, env);
        }
        if (got instanceof Acquisition.Acquired a) {
            try (var slot = a.slot()) {
                events.phase(Phase.COMPILE, TaskState.LOCALHOST, slot.index());
                return local.run(argv, inv, env);
            }
        }
        events.phase(Phase.COMPILE, TaskState.LOCALHOST, 0);
        return local.run(argv, inv, env);
    }
}
