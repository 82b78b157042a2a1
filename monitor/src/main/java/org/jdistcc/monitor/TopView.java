package org.jdistcc.monitor;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdistcc.client.state.Fallback;
import org.jdistcc.client.state.Phase;
import org.jdistcc.client.state.StateEntry;
import org.jdistcc.client.state.TaskState;

/**
 * The live view ({@code distccmon-text --top}) as text: a pure function from a {@link TopSnapshot}
 * and the screen's size to the screen's lines. Hosts as rows with their slots in use, the jobs in
 * flight with phase, host, time in phase and file, the recent fallbacks with their reasons. Every
 * line fits the width; when the screen is short, jobs are cut first (with a line saying how many
 * are not shown), then fallbacks.
 */
public final class TopView {
    /** Fallbacks shown at most. */
    static final int MAX_FALLBACKS = 5;
    private static final int MIN_JOB_ROWS = 3;
    private static final int BAR_MAX = 16;

    private TopView() {
    }

    public static String render(TopSnapshot s, int width, int height, ZoneId zone) {
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
        List<String> head = new ArrayList<>();
        head.add("jdistcc top  " + s.distccDir() + "  " + clock.format(s.now()) + "  " + summary(s.jobs()));
        head.add("");
        head.add(String.format(Locale.ROOT, "%-32s %-24s %s", "HOST", "SLOTS IN USE", "STATE"));
        for (Map.Entry<HostRow, Integer> h : hostUse(s).entrySet()) {
            head.add(hostLine(h.getKey(), h.getValue()));
        }
        if (!s.hostsProblem().isEmpty()) {
            head.add("(host list: " + s.hostsProblem() + ")");
        }
        head.add("");
        head.add(String.format(Locale.ROOT, "%7s  %-10s  %-24s %6s  %s", "PID", "PHASE", "HOST[SLOT]", "TIME", "FILE"));
        List<String> fallbackLines = fallbackLines(s.fallbacks(), clock);
        int room = height - head.size() - fallbackLines.size();
        if (room < Math.min(MIN_JOB_ROWS, Math.max(1, s.jobs().size()))) {
            // a short screen: the jobs in flight matter more than past fallbacks
            fallbackLines = List.of();
            room = height - head.size();
        }
        List<String> lines = new ArrayList<>(head);
        lines.addAll(jobLines(s, Math.max(0, room)));
        lines.addAll(fallbackLines);
        StringBuilder b = new StringBuilder();
        for (String line : lines.subList(0, Math.min(lines.size(), Math.max(0, height)))) {
            b.append(line.length() > width ? line.substring(0, Math.max(0, width)) : line).append('\n');
        }
        return b.toString();
    }

    private static String summary(List<StateEntry> jobs) {
        long blocked = jobs.stream().filter(e -> e.state().phase() == Phase.BLOCKED).count();
        long active = jobs.stream().filter(e -> e.state().phase() != Phase.DONE).count();
        return active + (active == 1 ? " job" : " jobs") + " in flight" + (blocked > 0 ? ", " + blocked + " waiting for a slot" : "");
    }

    /** Each host with the jobs on it; hosts only the state files name come after the list's. */
    private static Map<HostRow, Integer> hostUse(TopSnapshot s) {
        Map<HostRow, Integer> use = new LinkedHashMap<>();
        s.hosts().forEach(h -> use.put(h, 0));
        for (StateEntry e : s.jobs()) {
            TaskState t = e.state();
            if (t.phase() == Phase.BLOCKED || t.phase() == Phase.DONE || t.host().isEmpty()) {
                continue;
            }
            HostRow row = s.hosts().stream().filter(h -> h.name().equals(t.host())).findFirst()
                    .orElseGet(() -> use.keySet().stream().filter(h -> h.name().equals(t.host())).findFirst()
                            .orElse(new HostRow(t.host(), t.host(), 0, false, false)));
            use.merge(row, 1, Integer::sum);
        }
        return use;
    }

    private static String hostLine(HostRow h, int inUse) {
        String slots;
        if (h.slots() > 0 && h.slots() <= BAR_MAX) {
            slots = "[" + "#".repeat(Math.min(inUse, h.slots())) + ".".repeat(Math.max(0, h.slots() - inUse)) + "] "
                    + inUse + "/" + h.slots();
        } else {
            slots = inUse + "/" + (h.slots() > 0 ? Integer.toString(h.slots()) : "?");
        }
        String state = h.down() ? "down" : h.backedOff() ? "backed off" : h.slots() == 0 ? "not in host list" : "";
        return String.format(Locale.ROOT, "%-32s %-24s %s", h.label(), slots, state).stripTrailing();
    }

    private static List<String> jobLines(TopSnapshot s, int room) {
        List<String> lines = new ArrayList<>();
        List<StateEntry> jobs = s.jobs().stream().filter(e -> e.state().phase() != Phase.DONE).toList();
        if (jobs.isEmpty() && room > 0) {
            lines.add("  (no jobs in flight)");
            return lines;
        }
        int shown = jobs.size() <= room ? jobs.size() : Math.max(0, room - 1);
        for (StateEntry e : jobs.subList(0, shown)) {
            TaskState t = e.state();
            String where = t.host().isEmpty() ? "-" : t.host() + "[" + t.slot() + "]";
            lines.add(String.format(Locale.ROOT, "%7d  %-10s  %-24s %6s  %s", t.pid(), t.phase().displayName(), where,
                    elapsed(Duration.between(e.since(), s.now())), t.file()));
        }
        if (shown < jobs.size() && room > 0) {
            lines.add("  ... and " + (jobs.size() - shown) + " more");
        }
        return lines;
    }

    private static List<String> fallbackLines(List<Fallback> fallbacks, DateTimeFormatter clock) {
        if (fallbacks.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("RECENT FALLBACKS");
        List<Fallback> last = fallbacks.subList(Math.max(0, fallbacks.size() - MAX_FALLBACKS), fallbacks.size());
        for (int i = last.size() - 1; i >= 0; i--) {
            Fallback f = last.get(i);
            lines.add(clock.format(f.time()) + "  " + (f.file().isEmpty() ? "-" : f.file()) + "  " + f.reason() + ": "
                    + f.why());
        }
        return lines;
    }

    /** A time in a phase: {@code 4s}, {@code 1m05s}, {@code 2h03m}; negative (clock skew) as 0s. */
    static String elapsed(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s / 60) % 60);
    }

}
