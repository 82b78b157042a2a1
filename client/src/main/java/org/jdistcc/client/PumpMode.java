package org.jdistcc.client;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdistcc.client.include.Analysis;
import org.jdistcc.client.include.IncludeAnalyzer;
import org.jdistcc.compiler.ArgumentScanner;
import org.jdistcc.compiler.ClientArguments;
import org.jdistcc.compiler.ScanResult;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.IncludedFile;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;

/**
 * Pump mode for the {@code ,cpp,lzo} hosts (reference §7.3): instead of preprocessing here, send the
 * source and the headers include analysis finds, and let the server preprocess. A job stays in plain
 * mode, with one line saying why, when its input is already preprocessed, when the build has had
 * {@code DISTCC_MAX_DISCREPANCY} discrepancies, or when include analysis is not sure. One instance
 * serves every job of the agent, so what include analysis learned is kept across a build.
 */
final class PumpMode {
    private static final String WHERE = "dcc_build_somewhere";
    private final IncludeAnalyzer analyzer;
    private final Discrepancies discrepancies = new Discrepancies();

    PumpMode(IncludeAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** One job ready to go in pump mode: its v3 request and where its .d goes. */
    record Job(Request.Pump request, Optional<PumpDependencies> dependencies, Invocation inv)
            implements DependencyOutput {
        @Override
        public void commit(Response response) throws IOException {
            if (dependencies.isPresent() && response.dependencies() != null) {
                OutputFile.write(inv.cwd().resolve(dependencies.get().file()), response.dependencies(), inv.umask());
            }
        }
    }

    /** The job in pump mode, or empty (logged) when it goes in plain mode. */
    Optional<Job> prepare(ScanResult.Distribute job, Invocation inv, Map<String, String> env, ClientLog log)
            throws InterruptedException, IOException {
        if (job.inputPreprocessed()) {
            return Optional.empty();
        }
        if (discrepancies.exceeded(env)) {
            int n = discrepancies.count(env);
            log.warning(WHERE, "pump mode is off for the rest of this build after " + n
                    + (n == 1 ? " discrepancy" : " discrepancies") + " (DISTCC_MAX_DISCREPANCY="
                    + Discrepancies.limit(env) + "); " + job.input() + " goes in plain mode");
            return Optional.empty();
        }
        Analysis a = analyzer.analyze(job.argv(), inv.cwd(), env, job.input());
        return switch (a) {
            case Analysis.PlainMode p -> {
                log.warning(WHERE, "plain mode for " + job.input() + ": include analysis is not sure (" + p.message()
                        + "); plain mode so far: " + analyzer.plainModeCounts());
                yield Optional.empty();
            }
            case Analysis.Files f -> {
                boolean dashO = job.outputForm() == ScanResult.OutputForm.SEPARATE
                        || job.outputForm() == ScanResult.OutputForm.JOINED;
                Optional<PumpDependencies> dotd = PumpDependencies.of(job.argv(), job.output(), dashO, env);
                List<String> argv = dotd.map(d -> d.requestArguments(job.argv())).orElse(job.argv());
                yield Optional.of(new Job(new Request.Pump(inv.cwd().toRealPath().toString(), argv, f.files()), dotd, inv));
            }
        };
    }

    /**
     * {@code distcc --scan-includes COMPILE...}: prints what pump mode would send for the compile,
     * {@code %-9s %s} a line as stock distcc prints it: FILE, SYMLINK, DIRECTORY (a directory that
     * must exist, for {@code ..}) or SYSTEMDIR (a link back to a system directory).
     *
     * @return 0, or 100 (and why, on stderr) when the command is not distributable or goes in plain mode
     */
    int scanIncludes(List<String> argv, Invocation inv, ClientLog log, java.io.PrintStream out)
            throws InterruptedException {
        List<String> expanded = ClientArguments.expandPreprocessorOptions(argv);
        if (!(ArgumentScanner.scan(expanded) instanceof ScanResult.Distribute job)) {
            log.error("dcc_scan_includes", "cannot scan the includes of a command that is not distributable");
            return ExitCode.DISTCC_FAILED.code();
        }
        switch (analyzer.analyze(job.argv(), inv.cwd(), inv.env(), job.input())) {
            case Analysis.PlainMode p -> {
                log.error("dcc_scan_includes", "include analysis is not sure: " + p.message());
                return ExitCode.DISTCC_FAILED.code();
            }
            case Analysis.Files f -> {
                for (IncludedFile e : f.files()) {
                    out.printf("%-9s %s%n", kind(e), kindPath(e));
                }
                return 0;
            }
        }
    }

    private static String kind(IncludedFile e) {
        return switch (e) {
            case IncludedFile.Link l -> Analysis.systemDirectory(l) ? "SYSTEMDIR" : "SYMLINK";
            case IncludedFile.Contents c -> c.name().endsWith("/" + Analysis.FORCING_FILE)
                    ? "DIRECTORY" : "FILE";
        };
    }

    private static String kindPath(IncludedFile e) {
        String n = e.name();
        return kind(e).equals("DIRECTORY") ? n.substring(0, n.lastIndexOf('/')) : n;
    }

    /**
     * A pump-mode job failed on the server and compiled here: count it, and say so once the build
     * has had enough of them.
     */
    void discrepancy(String input, Map<String, String> env, ClientLog log) {
        try {
            discrepancies.record(env);
        } catch (IOException e) {
            log.warning(WHERE, "cannot count the discrepancy: " + Compilation.describe(e));
        }
        log.warning(WHERE, input + " failed in pump mode but compiled here (discrepancy " + discrepancies.count(env)
                + " of " + Discrepancies.limit(env) + " allowed)");
    }
}
