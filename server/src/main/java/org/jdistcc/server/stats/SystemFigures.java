package org.jdistcc.server.stats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's figures on distccd's stats page, read as distccd 3.4 reads them: load averages and
 * running tasks from {@code /proc/loadavg}, processes in state D and the largest resident set from
 * {@code /proc/PID/stat}, disk sectors from {@code /proc/diskstats}, free space of TMPDIR. Reads a
 * given {@code /proc} so that tests can hand it a fake one. A figure that cannot be read is 0 (load)
 * or -1 (free space), never an error: the page is a courtesy.
 */
public final class SystemFigures {
    private static final int MAX_STAT_BYTES = 4096;

    private final Path proc;
    private final Path tmpDir;
    private final long pageSize;

    /** @param pageSize bytes per page, to turn {@code /proc/PID/stat}'s rss into KiB */
    public SystemFigures(Path proc, Path tmpDir, long pageSize) {
        this.proc = proc;
        this.tmpDir = tmpDir;
        this.pageSize = pageSize;
    }

    /** The real machine, with 4 KiB pages. */
    public static SystemFigures of(Path tmpDir) {
        return new SystemFigures(Path.of("/proc"), tmpDir, 4096);
    }

    /**
     * The load averages and the running tasks.
     *
     * @param averages over 1, 5 and 15 minutes
     * @param running  tasks running now (the numerator of the fourth field)
     */
    public record Load(double[] averages, int running) {
    }

    public Load load() {
        try {
            String[] f = Files.readString(proc.resolve("loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            double[] averages = {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
            int slash = f[3].indexOf('/');
            return new Load(averages, Integer.parseInt(slash < 0 ? f[3] : f[3].substring(0, slash)));
        } catch (IOException | RuntimeException e) {
            return new Load(new double[3], 0);
        }
    }

    /**
     * What distccd reports of the processes: how many are in uninterruptible sleep (state D), and
     * the largest resident set of any process, in KiB, with its name in parentheses as
     * {@code /proc/PID/stat} gives it.
     */
    public record Processes(int stateD, long maxRssKb, String maxRssName) {
    }

    public Processes processes() {
        int stateD = 0;
        long maxRss = 0;
        String maxName = "";
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path pid : pids) {
                String stat = readStat(pid.resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                // after the name: state (field 3), then fields 4..; rss is field 24
                String[] rest = stat.substring(close + 1).trim().split("\\s+");
                if (rest.length < 22) {
                    continue;
                }
                if (rest[0].equals("D")) {
                    stateD++;
                }
                long rssKb = Long.parseLong(rest[21]) * pageSize / 1024;
                if (rssKb > maxRss) {
                    maxRss = rssKb;
                    maxName = stat.substring(open, close + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a partial scan is still a figure
        }
        return new Processes(stateD, maxRss, maxName);
    }

    /**
     * Sectors read plus sectors written since boot on the whole disks distccd counts: devices named
     * {@code hd*} or {@code sd*} whose first letter after that is {@code a}, at a minor number that is a
     * multiple of 64, as distccd 3.4 does (other disks count nothing there either).
     */
    public long diskSectors() {
        long total = 0;
        try {
            for (String line : Files.readAllLines(proc.resolve("diskstats"), StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                String dev = f[2];
                boolean disk = dev.startsWith("hda") || dev.startsWith("sda");
                if (disk && Integer.parseInt(f[1]) % 64 == 0) {
                    total += Long.parseLong(f[5]) + Long.parseLong(f[9]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return total;
        }
        return total;
    }

    /** Free space for unprivileged users in TMPDIR, in MiB; -1 if it cannot be read. */
    public long freeSpaceMb() {
        try {
            return Files.getFileStore(tmpDir).getUsableSpace() / (1024 * 1024);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String readStat(Path file) {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_STAT_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
