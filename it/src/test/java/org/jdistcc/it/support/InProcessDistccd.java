package org.jdistcc.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdistcc.server.DistccdServer;
import org.jdistcc.server.StartupException;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.server.log.Level;
import org.jdistcc.server.log.Log;

/**
 * Our distccd running inside the test JVM on an ephemeral port of 127.0.0.1, with its own TMPDIR,
 * its log captured at debug level and every job report kept. The reports are how a test proves a job
 * really ran on the server: a client that fell back to a local compile leaves none.
 *
 * <p>When the test runs as root, so does this server, and its compilers run as {@code nobody}
 * through {@link UnprivilegedCompilers}: whatever a test sends, no compiler writes as root.
 */
public final class InProcessDistccd implements AutoCloseable {
    private static final Duration REPORT_WAIT = Duration.ofSeconds(120);

    private final DistccdServer server;
    private final ByteArrayOutputStream log;
    private final List<JobReport> reports;
    private final Path tmpDir;
    private final Optional<UnprivilegedCompilers> compilers;

    private InProcessDistccd(DistccdServer server, ByteArrayOutputStream log, List<JobReport> reports, Path tmpDir,
                             Optional<UnprivilegedCompilers> compilers) {
        this.server = server;
        this.log = log;
        this.reports = reports;
        this.tmpDir = tmpDir;
        this.compilers = compilers;
    }

    /**
     * Starts a server listening on 127.0.0.1 with {@code --allow 127.0.0.1} unless {@code args}
     * names its own {@code --allow}.
     *
     * @param tmpDir the server's TMPDIR, where its job directories go
     * @param args   more distccd options; as root, not {@code --enable-tcp-insecure}
     * @param env    more environment for the server and its compilers (PATH defaults to the system's);
     *               as root, no {@code DISTCC_CMDLIST}
     */
    public static InProcessDistccd start(Path tmpDir, List<String> args, Map<String, String> env) {
        List<String> all = new ArrayList<>(List.of("--listen", "127.0.0.1", "--port", "0"));
        if (!args.contains("--allow")) {
            all.addAll(List.of("--allow", "127.0.0.1"));
        }
        all.addAll(args);
        Map<String, String> environment = new HashMap<>(Processes.baseEnvironment(tmpDir));
        environment.put("TMPDIR", tmpDir.toString());
        environment.putAll(env);
        Optional<UnprivilegedCompilers> compilers = UnprivilegedCompilers.ifRoot(tmpDir, all, environment);
        compilers.ifPresent(c -> environment.put("DISTCCD_PATH", c.dir().toString()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<JobReport> reports = new ArrayList<>();
        try {
            DistccdServer server = DistccdServer.start(all, environment,
                    new Log(log, Level.DEBUG, ProcessHandle.current().pid()), report -> {
                        synchronized (reports) {
                            reports.add(report);
                        }
                    });
            return new InProcessDistccd(server, log, reports, tmpDir, compilers);
        } catch (StartupException e) {
            compilers.ifPresent(UnprivilegedCompilers::close);
            throw new AssertionError("distccd refused to start with " + all + ": " + e.getMessage(), e);
        }
    }

    /** Starts a server with the default options: --allow 127.0.0.1, the default compiler allow-list. */
    public static InProcessDistccd start(Path tmpDir, String... args) {
        return start(tmpDir, List.of(args), Map.of());
    }

    public int port() {
        return server.port();
    }

    /** The {@code --stats} port, or -1 when started without {@code --stats}. */
    public int statsPort() {
        return server.statsPort();
    }

    /** The host spec for the stock client, {@code 127.0.0.1:PORT} plus {@code options} (e.g. ",lzo"). */
    public String hostSpec(String options) {
        return "127.0.0.1:" + port() + options;
    }

    public Path tmpDir() {
        return tmpDir;
    }

    /** The server's log so far. */
    public String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** The log lines that contain every one of {@code needles}. */
    public List<String> logLines(String... needles) {
        return log().lines().filter(line -> {
            for (String n : needles) {
                if (!line.contains(n)) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** The reports of the connections finished so far, in the order they finished. */
    public List<JobReport> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** The reports with {@code result}. */
    public List<JobReport> reports(JobResult result) {
        return reports().stream().filter(r -> r.result() == result).toList();
    }

    /**
     * Waits (bounded) until {@code count} connections have finished: a server reports a job after it
     * has replied, so the client may be done a moment before the report arrives.
     */
    public List<JobReport> awaitReports(int count) {
        Poll.until(REPORT_WAIT, () -> reports().size() >= count,
                () -> "expected " + count + " job reports, have " + reports() + "\nserver log:\n" + log());
        return reports();
    }

    /** Waits (bounded) for one report with {@code result} for the input file {@code input}. */
    public JobReport awaitReport(JobResult result, String input) {
        Poll.until(REPORT_WAIT, () -> find(result, input) != null,
                () -> "no " + result + " report for " + input + "; have " + reports() + "\nserver log:\n" + log());
        return find(result, input);
    }

    private JobReport find(JobResult result, String input) {
        return reports().stream().filter(r -> r.result() == result && r.input().equals(input)).findFirst()
                .orElse(null);
    }

    /** Stops listening, kills running compilers and removes their temp files. */
    @Override
    public void close() {
        server.close();
        compilers.ifPresent(UnprivilegedCompilers::close);
    }
}
