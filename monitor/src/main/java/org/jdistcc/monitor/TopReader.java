package org.jdistcc.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.jdistcc.client.hosts.BadHostSpecException;
import org.jdistcc.client.hosts.HostList;
import org.jdistcc.client.hosts.HostListSource;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.client.schedule.Backoff;
import org.jdistcc.client.schedule.LockDirectory;
import org.jdistcc.client.state.FallbackLog;
import org.jdistcc.client.state.StateDirectory;
import org.jdistcc.client.state.StateEntry;
import org.jdistcc.client.state.TaskState;

/**
 * Reads a {@link TopSnapshot} from the files distcc clients keep: the host list (as the clients
 * find it, from the same environment), the backoff marks in {@code $DISTCC_DIR/lock}, the state
 * files in {@code $DISTCC_DIR/state} (stock clients' and ours), and our fallback log.
 */
public final class TopReader {
    private final Map<String, String> env;
    private final Path home;
    private final Clock clock;
    private final LongPredicate alive;

    /**
     * @param env   the environment, as the clients see it ({@code DISTCC_DIR}, {@code DISTCC_HOSTS})
     * @param alive whether a process id names a live process
     */
    public TopReader(Map<String, String> env, Clock clock, LongPredicate alive) {
        this.env = env;
        this.home = Path.of(env.getOrDefault("HOME", "/"));
        this.clock = clock;
        this.alive = alive;
    }

    /** {@code $DISTCC_DIR}, else {@code ~/.distcc}. */
    public Path distccDir() {
        return HostListSource.distccDir(env, home);
    }

    /** The jobs in flight, by the stock monitor's rules ({@link StateDirectory#read}). */
    public List<StateEntry> jobs() throws IOException {
        return StateDirectory.under(distccDir()).read(clock, alive);
    }

    public TopSnapshot read() throws IOException {
        List<HostRow> rows = new ArrayList<>();
        String problem = "";
        try {
            Optional<HostListSource> source = HostListSource.find(env, home);
            if (source.isEmpty()) {
                problem = "none set";
            } else {
                rows = rows(source.get().parse());
            }
        } catch (BadHostSpecException | IOException e) {
            problem = String.valueOf(e.getMessage());
        }
        return new TopSnapshot(clock.instant(), distccDir().toString(), rows, problem, jobs(),
                FallbackLog.under(distccDir()).recent(TopView.MAX_FALLBACKS));
    }

    private List<HostRow> rows(HostList hosts) {
        Backoff backoff = new Backoff(LockDirectory.of(distccDir(), true), Backoff.period(env), clock);
        List<HostRow> rows = new ArrayList<>();
        for (HostSpec h : hosts.hosts()) {
            boolean backedOff;
            try {
                backedOff = backoff.isBackedOff(h.lockName());
            } catch (IOException e) {
                backedOff = false;
            }
            rows.add(new HostRow(h.token(), TaskState.hostName(h), h.slots(), backedOff, h.down()));
        }
        if (hosts.hosts().stream().noneMatch(h -> h instanceof HostSpec.Local)) {
            // preprocessing, local jobs and fallbacks run here whatever the list says
            rows.add(new HostRow("localhost (this machine)", TaskState.LOCALHOST, hosts.localSlots(), false, false));
        }
        return rows;
    }
}
