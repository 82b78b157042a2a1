package org.jdistcc.monitor;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdistcc.client.state.MetricsFile;

/**
 * {@code distccmon-text}: with no argument one snapshot of the jobs in flight, in stock's format;
 * with DELAY (seconds, fractions allowed) a snapshot every DELAY seconds until interrupted; with
 * {@code --top [DELAY]} the live view; with {@code --metrics} the client agent's metrics. The only
 * class of the monitor that reads the process's environment, writes to it or exits.
 */
public final class DistccmonMain {
    private static final String USAGE = "usage: distccmon-text [DELAY]\n"
            + "       distccmon-text --top [DELAY]    live view of hosts, jobs and fallbacks (default 1 s)\n"
            + "       distccmon-text --metrics        the client agent's metrics (Prometheus text format)\n";
    private static final String CLEAR = "\033[H\033[2J";

    private DistccmonMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        TopReader reader = new TopReader(System.getenv(), Clock.systemUTC(), pid -> ProcessHandle.of(pid).isPresent());
        List<String> a = List.of(args);
        if (a.equals(List.of("--help"))) {
            out.print(USAGE);
            out.flush();
            System.exit(0);
        } else if (a.equals(List.of("--metrics"))) {
            System.exit(metrics(reader, out));
        } else if (!a.isEmpty() && a.get(0).equals("--top") && a.size() <= 2) {
            long delay = a.size() == 2 ? delayMillis(a.get(1)) : 1000;
            top(reader, out, delay < 0 ? usage() : delay);
        } else if (a.size() <= 1) {
            long delay = a.isEmpty() ? 0 : delayMillis(a.get(0));
            text(reader, out, delay < 0 ? usage() : delay);
        } else {
            usage();
        }
    }

    private static long usage() {
        System.err.print(USAGE);
        System.exit(1);
        return 0;
    }

    /** DELAY in milliseconds, or -1 if it is not a positive number (stock's strtod, strictly). */
    static long delayMillis(String arg) {
        try {
            double seconds = Double.parseDouble(arg);
            return seconds > 0 && seconds < 86_400 ? Math.max(1, (long) (seconds * 1000)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void text(TopReader reader, PrintStream out, long delayMillis) throws IOException,
            InterruptedException {
        do {
            out.print(MonitorText.render(reader.jobs()));
            out.flush();
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } while (delayMillis > 0 && !out.checkError());
    }

    private static void top(TopReader reader, PrintStream out, long delayMillis) throws IOException,
            InterruptedException {
        while (!out.checkError()) {
            int[] size = terminalSize();
            String screen = TopView.render(reader.read(), size[0], size[1], ZoneId.systemDefault());
            out.print(CLEAR + screen.stripTrailing());
            out.flush();
            Thread.sleep(delayMillis);
        }
    }

    /** Columns and rows of the controlling terminal ({@code stty size}), else COLUMNS/LINES, else 80x24. */
    private static int[] terminalSize() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] rc = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 && rc.length == 2) {
                return new int[] {Integer.parseInt(rc[1]), Integer.parseInt(rc[0])};
            }
        } catch (IOException | NumberFormatException | InterruptedException e) {
            // no terminal: fall through
        }
        Map<String, String> env = System.getenv();
        return new int[] {number(env.get("COLUMNS"), 80), number(env.get("LINES"), 24)};
    }

    private static int number(String s, int fallback) {
        try {
            return s == null ? fallback : Math.max(10, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int metrics(TopReader reader, PrintStream out) throws IOException {
        Path file = MetricsFile.under(reader.distccDir());
        try {
            out.print(Files.readString(file, StandardCharsets.UTF_8));
            out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            System.err.println("distccmon-text: no metrics in " + file + ": the jdistcc client agent of "
                    + reader.distccDir() + " has not run a job yet");
            return 1;
        }
    }
}
