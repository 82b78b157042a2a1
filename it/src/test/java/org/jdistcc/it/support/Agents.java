package org.jdistcc.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The resident agents that {@code bin/distcc} starts (docs/agent.md): found by their command line
 * ({@code AgentMain --dir $DISTCC_DIR/agent}) in /proc, and ended one by one by process id. A test
 * that runs {@code bin/distcc} ends every agent under its scratch tree with {@link #killUnder} in its
 * clean-up, since an agent outlives the job that started it by design.
 */
public final class Agents {
    /** The agent's main class, as it appears in the agent's command line. */
    public static final String MAIN_CLASS = "org.jdistcc.client.agent.AgentMain";
    private static final Pattern LISTENING = Pattern.compile("agent (\\d+) of build (\\S+) listening on ");
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Agents() {
    }

    /** {@code $DISTCC_DIR/agent}, the agent's directory for {@code distccDir}. */
    public static Path agentDir(Path distccDir) {
        return distccDir.resolve("agent");
    }

    /** The running agents (process ids) that serve {@code distccDir}. */
    public static List<Long> serving(Path distccDir) {
        Path dir = agentDir(distccDir).toAbsolutePath().normalize();
        return running(d -> d.equals(dir));
    }

    /** The running agents (process ids) whose directory lies under {@code root}. */
    public static List<Long> under(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return running(d -> d.startsWith(r));
    }

    /** SIGKILLs every agent under {@code root}, by process id, and waits (bounded) until each is gone. */
    public static void killUnder(Path root) {
        for (long pid : under(root)) {
            kill(pid);
        }
    }

    /** SIGKILLs the process {@code pid} and waits (bounded) until it is gone. */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Poll.until(KILL_WAIT, () -> Processes.isGone(pid), () -> "agent " + pid + " survived SIGKILL");
    }

    /** The agent's log for {@code distccDir} so far, or "" if there is none. */
    public static String log(Path distccDir) {
        try {
            return Files.readString(agentDir(distccDir).resolve("agent.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The process ids of the agents that started listening for {@code distccDir}, in the log's order. */
    public static List<Long> started(Path distccDir) {
        List<Long> pids = new ArrayList<>();
        Matcher m = LISTENING.matcher(log(distccDir));
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    /** The command line of process {@code pid}, or empty if it is gone. */
    public static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return args;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private interface DirTest {
        boolean matches(Path agentDir);
    }

    private static List<Long> running(DirTest test) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                List<String> args = commandLine(pid);
                int dir = args.indexOf("--dir");
                if (args.contains(MAIN_CLASS) && dir >= 0 && dir + 1 < args.size()
                        && test.matches(Path.of(args.get(dir + 1)).toAbsolutePath().normalize())
                        && !Processes.isGone(pid)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }
}
