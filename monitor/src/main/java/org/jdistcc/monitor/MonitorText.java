package org.jdistcc.monitor;

import java.util.List;
import java.util.Locale;
import org.jdistcc.client.state.Phase;
import org.jdistcc.client.state.StateEntry;
import org.jdistcc.client.state.TaskState;

/**
 * One snapshot as stock {@code distccmon-text} prints it: a line per job in flight,
 * {@code "%6ld  %-10.10s  %-30.30s %24.24s[%d]"} (pid, phase, file, host, slot), jobs in phase Done
 * left out, then one empty line. Pure.
 */
public final class MonitorText {
    private MonitorText() {
    }

    public static String render(List<StateEntry> jobs) {
        StringBuilder b = new StringBuilder();
        for (StateEntry e : jobs) {
            TaskState s = e.state();
            if (s.phase() != Phase.DONE) {
                b.append(String.format(Locale.ROOT, "%6d  %-10.10s  %-30.30s %24.24s[%d]%n", s.pid(),
                        s.phase().displayName(), s.file(), s.host(), s.slot()));
            }
        }
        return b.append('\n').toString();
    }
}
