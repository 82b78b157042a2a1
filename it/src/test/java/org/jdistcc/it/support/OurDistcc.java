package org.jdistcc.it.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdistcc.client.DistccClient;
import org.jdistcc.client.Invocation;
import org.jdistcc.compiler.process.ProcessCommandRunner;

/**
 * Our distcc client, run either in this JVM (the engine behind {@code bin/distcc}, with real gcc
 * processes and its output captured) or as the {@code bin/distcc} command. Like {@link StockDistcc},
 * every run gets a fresh {@code DISTCC_DIR} and TMPDIR of its own unless the test shares one on
 * purpose ({@link #sharingDistccDir} to see backoff carry from one job to the next, {@code TMPDIR}
 * through {@link #with} to look at the temporary files). Hosts are always
 * {@code 127.0.0.1}. A {@link #throughFrontEnd} client runs every job as the {@code bin/distcc}
 * command, which starts an agent per {@code DISTCC_DIR}: the test ends them with
 * {@link Agents#killUnder} on the state root.
 */
public final class OurDistcc {
    /** The in-process runs' pid in messages: a fixed one, so tests can tell ours from stock's. */
    private static final long PID = 424242;

    private final Path stateRoot;
    private final Map<String, String> environment;
    private final Optional<Path> sharedDistccDir;
    private final Clock clock;
    private final boolean frontEnd;

    private OurDistcc(Path stateRoot, Map<String, String> environment, Optional<Path> sharedDistccDir, Clock clock,
                      boolean frontEnd) {
        this.stateRoot = stateRoot;
        this.environment = Map.copyOf(environment);
        this.sharedDistccDir = sharedDistccDir;
        this.clock = clock;
        this.frontEnd = frontEnd;
    }

    /** A client that distributes to {@code hosts}, keeping per-run state under {@code stateRoot}. */
    public static OurDistcc toHosts(String hosts, Path stateRoot) {
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(stateRoot));
        env.put("DISTCC_HOSTS", hosts);
        return new OurDistcc(stateRoot, env, Optional.empty(), Clock.systemUTC(), false);
    }

    /** The same client with one more environment variable. */
    public OurDistcc with(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new OurDistcc(stateRoot, env, sharedDistccDir, clock, frontEnd);
    }

    /** The same client, every run using {@code distccDir} (which must exist) for locks and backoff. */
    public OurDistcc sharingDistccDir(Path distccDir) {
        return new OurDistcc(stateRoot, environment, Optional.of(distccDir), clock, frontEnd);
    }

    /** The same client (in-process runs only) reading time from {@code clock}. */
    public OurDistcc withClock(Clock c) {
        return new OurDistcc(stateRoot, environment, sharedDistccDir, c, frontEnd);
    }

    /**
     * The same client, {@link #run} going through the {@code bin/distcc} command (the native
     * front-end and its agent) instead of the engine in this JVM.
     */
    public OurDistcc throughFrontEnd() {
        return new OurDistcc(stateRoot, environment, sharedDistccDir, clock, true);
    }

    /** The environment of one run: fresh TMPDIR, fresh or shared DISTCC_DIR. */
    private Map<String, String> runEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        try {
            Path run = Files.createTempDirectory(stateRoot, "our-client-");
            Path distccDir = sharedDistccDir.isPresent() ? sharedDistccDir.get()
                    : Files.createDirectory(run.resolve("distcc-dir"));
            env.put("DISTCC_DIR", distccDir.toString());
            if (!environment.containsKey("TMPDIR")) {
                env.put("TMPDIR", Files.createDirectory(run.resolve("tmp")).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /**
     * Runs {@code distcc ARGS...} in {@code workDir} to its end: in this JVM, or as {@code bin/distcc}
     * for a client {@link #throughFrontEnd}.
     */
    public ProcessResult run(Path workDir, String... args) {
        if (frontEnd) {
            return runBin(workDir, args);
        }
        List<String> argv = new ArrayList<>();
        argv.add("distcc");
        argv.addAll(List.of(args));
        return runArgv(workDir, argv);
    }

    /** Runs the engine with the whole {@code argv} (argv[0] included: a masquerade name, say). */
    public ProcessResult runArgv(Path workDir, List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Invocation inv = Invocation.inProcess(argv, workDir, runEnvironment(), new ByteArrayInputStream(new byte[0]),
                out, err, false, runner);
        try {
            int exit = new DistccClient(runner, clock, PID).run(inv);
            return new ProcessResult(argv, exit, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + argv, e);
        }
    }

    /** Runs the {@code bin/distcc} command with {@code args} in {@code workDir}, as a build would. */
    public ProcessResult runBin(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binPath().toString());
        command.addAll(List.of(args));
        return Processes.run(command, workDir, binEnvironment(runEnvironment()));
    }

    /** Runs {@code program} (e.g. a masquerade link to bin/distcc) with {@code args}, PATH set to {@code path}. */
    public ProcessResult runProgram(Path workDir, String path, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(List.of(args));
        Map<String, String> env = binEnvironment(runEnvironment());
        env.put("PATH", path);
        return Processes.run(command, workDir, env);
    }

    /** Our {@code bin/distcc}; fails the test if it was not built. */
    public static Path binPath() {
        String home = System.getProperty("jdistcc.home");
        if (home == null) {
            throw new AssertionError("system property jdistcc.home is not set: run through mvn verify");
        }
        Path bin = Path.of(home, "bin", "distcc");
        if (!Files.isExecutable(bin) || !Files.isRegularFile(Path.of(home, "lib", "jdistcc-client.jar"))) {
            throw new AssertionError(bin + " or its lib/jdistcc-client.jar is missing: run ./build first");
        }
        return bin;
    }

    /** The JDK variables pass through, so that the launcher finds the JDK the build used. */
    private static Map<String, String> binEnvironment(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        for (String name : List.of("JDISTCC_JAVA_HOME", "JAVA_HOME")) {
            String v = System.getenv(name);
            if (v != null) {
                all.put(name, v);
            }
        }
        return all;
    }
}
