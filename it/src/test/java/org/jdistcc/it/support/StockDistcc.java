package org.jdistcc.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stock Debian {@code /usr/bin/distcc} client, run as a build would run it. Every run gets a fresh
 * {@code DISTCC_DIR} of its own (backoff marks of one run would otherwise send the next run local)
 * and its own TMPDIR. Hosts are always given as {@code 127.0.0.1}: with {@code localhost} the client
 * compiles locally without any TCP. The backoff period is never set to 0 (the 3.4 client then retries a
 * refusing host forever).
 */
public final class StockDistcc {
    public static final Path BINARY = Path.of("/usr/bin/distcc");

    private final Path stateRoot;
    private final Map<String, String> environment;

    private StockDistcc(Path stateRoot, Map<String, String> environment) {
        this.stateRoot = stateRoot;
        this.environment = Map.copyOf(environment);
    }

    /**
     * A client that distributes to {@code hosts}, keeping its per-run state directories under
     * {@code stateRoot}.
     */
    public static StockDistcc toHosts(String hosts, Path stateRoot) {
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(stateRoot));
        env.put("DISTCC_HOSTS", hosts);
        return new StockDistcc(stateRoot, env);
    }

    /** The same client with one more environment variable. */
    public StockDistcc with(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new StockDistcc(stateRoot, env);
    }

    /** Starts {@code distcc ARGS...} in {@code workDir}, not waiting for it. */
    public RunningProcess start(Path workDir, List<String> args) {
        Map<String, String> env = new HashMap<>(environment);
        try {
            Path run = Files.createTempDirectory(stateRoot, "client-");
            env.put("DISTCC_DIR", Files.createDirectory(run.resolve("distcc-dir")).toString());
            env.put("TMPDIR", Files.createDirectory(run.resolve("tmp")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(args);
        return RunningProcess.start(command, workDir, env);
    }

    /** Runs {@code distcc ARGS...} in {@code workDir} to its end (bounded). */
    public ProcessResult run(Path workDir, String... args) {
        try (RunningProcess p = start(workDir, List.of(args))) {
            return p.await(Processes.DEFAULT_TIMEOUT);
        }
    }
}
