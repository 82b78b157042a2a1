package org.jdistcc.client.include;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jdistcc.compiler.process.CommandRunner;

/**
 * Include analysis for the jobs of a build (reference §7.1): which files one compile may read, as
 * the entries of a pump request, or plain mode and why. One instance serves every job of the
 * client's agent: it keeps each compiler's system directories (asked once per compiler, language and
 * the options that change them) and what it parsed of each file (used again while the file's stamp
 * is unchanged). Directory lookups are made afresh for each job, so a header that appears between
 * two jobs is found. Every answer of plain mode is counted by its kind. Safe for concurrent jobs.
 */
public final class IncludeAnalyzer {
    /** Variables that add search directories the analysis does not model; stock disables pump for them. */
    static final List<String> PATH_VARIABLES = List.of("CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
            "OBJC_INCLUDE_PATH");

    private final CompilerProbe probe;
    private final SourceCache sources = new SourceCache();
    private final Map<List<String>, CompilerDefaults> defaults = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> plainModes = new ConcurrentHashMap<>();

    public IncludeAnalyzer(CommandRunner runner) {
        this(new GccCompilerProbe(runner));
    }

    IncludeAnalyzer(CompilerProbe probe) {
        this.probe = probe;
    }

    /**
     * The files the compile {@code argv} (compiler first, {@code -Wp,} expanded, run in {@code cwd}
     * with {@code env}) of {@code input} may read, excluding the compiler's default system
     * directories; or plain mode.
     */
    public Analysis analyze(List<String> argv, Path cwd, Map<String, String> env, String input)
            throws InterruptedException {
        Analysis a = analyzeUncounted(argv, cwd, env, input);
        if (a instanceof Analysis.PlainMode p) {
            plainModes.computeIfAbsent(p.kind(), k -> new LongAdder()).increment();
        }
        return a;
    }

    private Analysis analyzeUncounted(List<String> argv, Path cwd, Map<String, String> env, String input)
            throws InterruptedException {
        for (String v : PATH_VARIABLES) {
            if (env.containsKey(v)) {
                return new Analysis.PlainMode(v + " set", v + "=" + env.get(v));
            }
        }
        IncludeOptions options;
        switch (IncludeOptions.parse(argv, input)) {
            case IncludeOptions.Result.Unsure u -> {
                return new Analysis.PlainMode("unsupported command", u.reason());
            }
            case IncludeOptions.Result.Options o -> options = o.options();
        }
        CompilerDefaults system;
        try {
            system = defaults(argv.get(0), options, cwd, env);
        } catch (IOException e) {
            return new Analysis.PlainMode("system directories unknown", argv.get(0) + ": " + e.getMessage());
        }
        try {
            return new IncludeClosure(options, system, cwd, sources).files(input);
        } catch (IncludeClosure.UnsureException e) {
            return new Analysis.PlainMode(e.kind(), e.getMessage());
        } catch (IOException e) {
            return new Analysis.PlainMode("I/O error", e.toString());
        }
    }

    private CompilerDefaults defaults(String compiler, IncludeOptions options, Path cwd, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> key = new java.util.ArrayList<>();
        key.add(compiler);
        key.add(env.getOrDefault("PATH", ""));
        key.add(compiler.contains("/") ? cwd.toString() : "");
        key.add(options.language());
        key.addAll(options.probeOptions());
        CompilerDefaults known = defaults.get(key);
        if (known != null) {
            return known;
        }
        CompilerDefaults d = probe.defaults(compiler, options.probeOptions(), options.language(), cwd, env);
        defaults.put(List.copyOf(key), d);
        return d;
    }

    /** How many jobs went to plain mode, by kind of reason, sorted by kind. */
    public Map<String, Long> plainModeCounts() {
        Map<String, Long> out = new TreeMap<>();
        plainModes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** How many times a file was read and parsed rather than taken from the cache. */
    public long fileReads() {
        return sources.reads();
    }
}
