package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A private copy of the installed front-end: {@code bin/distcc} and what it reads from {@code lib/}
 * ({@code agent.cmd}, {@code agent.build} and the client jar, with {@code agent.cmd} naming the
 * copied jar). The front-end finds {@code lib/} beside its own binary, so the copy runs on the
 * copy's files: a test may change the build id or the agent's command, and a {@code ./build} that
 * someone runs meanwhile in the real tree cannot replace the agent under a test that counts agents.
 */
public final class FrontEndTree {
    private static final String JAR = "jdistcc-client.jar";

    private final Path root;

    private FrontEndTree(Path root) {
        this.root = root;
    }

    /** Copies the built front-end of the project (the {@code jdistcc.home} property) into {@code root}. */
    public static FrontEndTree copyInto(Path root) {
        try {
            Path home = OurDistcc.binPath().toRealPath().getParent().getParent();
            Files.createDirectories(root.resolve("bin"));
            Files.createDirectories(root.resolve("lib"));
            Files.copy(home.resolve("bin/distcc"), root.resolve("bin/distcc"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(home.resolve("lib").resolve(JAR), root.resolve("lib").resolve(JAR));
            Files.copy(home.resolve("lib/agent.build"), root.resolve("lib/agent.build"));
            FrontEndTree tree = new FrontEndTree(root);
            String realJar = home.resolve("lib").resolve(JAR).toString();
            String copiedJar = root.resolve("lib").resolve(JAR).toString();
            List<String> command = new ArrayList<>();
            for (String line : Files.readAllLines(home.resolve("lib/agent.cmd"), StandardCharsets.UTF_8)) {
                command.add(line.equals(realJar) ? copiedJar : line);
            }
            if (!command.contains(copiedJar)) {
                throw new AssertionError("lib/agent.cmd does not name " + realJar + ": " + command);
            }
            tree.writeAgentCommand(command);
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The copy's {@code bin/distcc}. */
    public Path distcc() {
        return root.resolve("bin/distcc");
    }

    public Path root() {
        return root;
    }

    /** The build id in the copy's {@code lib/agent.build}. */
    public String build() {
        return read("lib/agent.build").strip();
    }

    /** Writes {@code id} to the copy's {@code lib/agent.build}, as a {@code ./build} with another jar would. */
    public void setBuild(String id) {
        write("lib/agent.build", id + "\n");
    }

    /** The agent's command, one word a line, from the copy's {@code lib/agent.cmd}. */
    public List<String> agentCommand() {
        return read("lib/agent.cmd").lines().toList();
    }

    /** Replaces the copy's {@code lib/agent.cmd}. */
    public void writeAgentCommand(List<String> words) {
        write("lib/agent.cmd", String.join("\n", words) + "\n");
    }

    /** Starts this tree's {@code distcc ARGS...} in {@code workDir} with exactly {@code env}, not waiting for it. */
    public RunningProcess start(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(distcc().toString());
        command.addAll(List.of(args));
        return RunningProcess.start(command, workDir, env);
    }

    /** Runs this tree's {@code distcc ARGS...} in {@code workDir} with exactly {@code env}, to its end (bounded). */
    public ProcessResult run(Path workDir, Map<String, String> env, String... args) {
        try (RunningProcess p = start(workDir, env, args)) {
            return p.await(Processes.DEFAULT_TIMEOUT);
        }
    }

    /**
     * The environment for a job: the base one (system PATH, C locale, HOME in {@code home}) with
     * {@code DISTCC_DIR} and {@code extra} on top.
     */
    public static Map<String, String> environment(Path home, Path distccDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(home));
        env.put("DISTCC_DIR", distccDir.toString());
        env.putAll(extra);
        return env;
    }

    private String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String relative, String text) {
        try {
            Files.writeString(root.resolve(relative), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
