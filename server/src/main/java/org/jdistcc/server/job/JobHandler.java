package org.jdistcc.server.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jdistcc.compiler.Filenames;
import org.jdistcc.compiler.ScanResult;
import org.jdistcc.compiler.ServerArguments;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.protocol.Printable;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestReader;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseWriter;
import org.jdistcc.server.access.ArgumentPolicy;
import org.jdistcc.server.log.Log;

/**
 * Serves one job over a pair of streams, as distccd does for one connection: read the whole
 * request, check it, compile under a slot in a private directory, reply. A refused or malformed
 * request gets no reply at all (the caller closes the connection, which is how distcc refuses) and
 * one log line naming the peer and the reason. Temp files never outlive {@link #serve}.
 */
public final class JobHandler {
    private static final String WHERE = "dcc_serve";

    private final JobSettings settings;
    private final Clock clock;
    private final Log log;
    private final CompilerLocator locator;
    private final RequestMemory memory;
    private final JobEvents events;
    private final CompileStep step;
    private final PumpJobs pumpJobs;

    public JobHandler(JobSettings settings, JobSlots slots, RequestMemory memory, CommandRunner runner, Clock clock,
                      Log log) {
        this(settings, slots, memory, runner, clock, log, JobEvents.NONE);
    }

    /** A handler that tells {@code events} the steps of each job (the request, the slot, the compiler, the reply). */
    public JobHandler(JobSettings settings, JobSlots slots, RequestMemory memory, CommandRunner runner, Clock clock,
                      Log log, JobEvents events) {
        this.events = events;
        this.settings = settings;
        this.memory = memory;
        this.clock = clock;
        this.log = log;
        this.locator = new CompilerLocator(settings.path(), settings.masqueradeDir());
        this.step = new CompileStep(settings, slots, runner, clock, log, events);
        this.pumpJobs = new PumpJobs(settings, step, clock, log, locator, events);
    }

    /**
     * Serves one job.
     *
     * @param peer      the client, as {@code address:port}, for logs
     * @param peerGone  true once the client has closed its end; checked while the job waits and runs
     */
    public JobReport serve(InputStream in, OutputStream out, String peer, BooleanSupplier peerGone)
            throws InterruptedException {
        try (RequestMemory.Claim claim = memory.open()) {
            return serve(in, out, peer, peerGone, claim);
        }
    }

    private JobReport serve(InputStream in, OutputStream out, String peer, BooleanSupplier peerGone,
                            RequestMemory.Claim claim) throws InterruptedException {
        Instant start = clock.instant();
        Request request;
        try {
            request = new RequestReader(in, settings.limits(), claim).read();
        } catch (IOException e) {
            log.error(WHERE, "bad request from " + peer + ": " + Log.describe(e));
            return report(JobResult.REJ_BAD_REQ, -1, null, null, start)
                    .withRefusal(claim.refused() ? Refusal.BUSY : Refusal.BAD_REQUEST);
        }
        events.requestRead(request);
        return switch (request) {
            case Request.Plain plain -> servePlain(plain, out, peer, peerGone, start);
            case Request.Pump pump -> pumpJobs.serve(pump, out, peer, peerGone, start);
        };
    }

    private JobReport servePlain(Request.Plain request, OutputStream out, String peer, BooleanSupplier peerGone,
                                 Instant start) throws InterruptedException {
        String compiler = request.argv().get(0);
        return switch (Admission.of(request.argv(), settings.arguments().checkPlain(request.argv()),
                settings.compilers())) {
            case Admission.Refused r -> refuse(r.why(), peer, r.reason(), compiler, r.input(), start);
            case Admission.Admitted(ScanResult.Distribute job, String command) -> {
                try (Workspace ws = Workspace.create(settings.tmpDir(), settings.saveTemps())) {
                    yield compile(request, job, command, ws, out, peer, peerGone, start);
                } catch (IOException e) {
                    log.error(WHERE, "job from " + peer + " failed: " + Log.describe(e));
                    yield report(JobResult.OTHER, -1, compiler, job.input(), start);
                }
            }
        };
    }

    private JobReport compile(Request.Plain request, ScanResult.Distribute job, String command, Workspace ws,
                              OutputStream out, String peer, BooleanSupplier peerGone, Instant start)
            throws IOException, InterruptedException {
        String compiler = request.argv().get(0);
        Path input = ws.file("input" + Filenames.preprocessedExtension(job.input()));
        Files.write(input, request.source());
        Files.createFile(ws.file("stdout"));
        Files.createFile(ws.file("stderr"));
        Optional<Path> program = locator.locate(command);
        if (program.isEmpty()) {
            return reply(request, job, step.compilerMissing(command, peer, ws.file("stderr")), ws, out, peer, start);
        }
        Optional<List<String>> argv = commandLine(job, program.get(), input, ws.file("output.o"));
        if (argv.isEmpty()) {
            return refuse(Refusal.ARGUMENTS, peer, "failed to find -o in " + Printable.of(String.join(" ", job.argv())),
                    compiler, job.input(), start);
        }
        return reply(request, job, step.run(argv.get(), ws.dir(), ws, job.input(), peer, peerGone), ws, out, peer,
                start);
    }

    /**
     * The command to run: the client's, with the job's own input and output files, {@code -x}
     * languages in their preprocessed form (the client ran cpp; a second one here would read server
     * files), a last {@code -c} (gcc never links, whatever the client's words did to its own
     * {@code -c}; a {@code -S} still wins) and the compiler found on the server's PATH, under
     * {@code nice} when compilers are niced one by one. Empty when the output cannot be redirected (a
     * bare .o without -o).
     */
    private Optional<List<String>> commandLine(ScanResult.Distribute job, Path program, Path input, Path output) {
        return ServerArguments.withTempFiles(job, input.toString(), output.toString()).map(rewritten -> {
            List<String> argv = new ArrayList<>(ArgumentPolicy.withPreprocessedLanguages(rewritten));
            argv.add("-c");
            return withProgram(argv, program, settings, locator);
        });
    }

    /**
     * {@code argv} with the compiler found on the server's PATH as argv[0], under {@code nice} when
     * compilers are niced one by one. Shared with pump jobs.
     */
    static List<String> withProgram(List<String> argv, Path program, JobSettings settings, CompilerLocator locator) {
        List<String> command = new ArrayList<>(argv);
        command.set(0, program.toString());
        if (settings.nice() != 0) {
            String nice = locator.locate("nice").map(Path::toString).orElse("nice");
            command.addAll(0, List.of(nice, "-n", Integer.toString(settings.nice()), "--"));
        }
        return command;
    }

    private JobReport reply(Request.Plain request, ScanResult.Distribute job, CompileStep.Ending ending, Workspace ws,
                            OutputStream out, String peer, Instant start) {
        String compiler = request.argv().get(0);
        int waitStatus = ending.waitStatus();
        if (!ending.replies()) {
            return report(ending.result(), waitStatus, compiler, job.input(), start);
        }
        try {
            byte[] object = waitStatus == 0 ? readIfPresent(ws.file("output.o")) : new byte[0];
            Response response = new Response(request.version(), waitStatus, Files.readAllBytes(ws.file("stderr")),
                    Files.readAllBytes(ws.file("stdout")), object, null);
            new ResponseWriter(out).write(response);
            events.replySent(response);
        } catch (IOException e) {
            log.error(WHERE, "failed to send reply to " + peer + ": " + Log.describe(e));
            return report(JobResult.OTHER, waitStatus, compiler, job.input(), start);
        }
        return report(ending.result(), waitStatus, compiler, job.input(), start);
    }

    /** The compiler's environment: the server's, with PATH, TMPDIR (the job directory) and the safeguard level set. */
    static Map<String, String> environment(JobSettings settings, Path jobDir) {
        Map<String, String> env = new HashMap<>(settings.environment());
        env.put("PATH", settings.path());
        env.put("TMPDIR", jobDir.toString());
        int level = 0;
        try {
            level = Integer.parseInt(env.getOrDefault("_DISTCC_SAFEGUARD", "0").trim());
        } catch (NumberFormatException ignored) {
            // an unreadable level counts as zero, as atoi does
        }
        env.put("_DISTCC_SAFEGUARD", Integer.toString(level + 1));
        return env;
    }

    private JobReport refuse(Refusal why, String peer, String reason, String compiler, String input, Instant start) {
        log.error(WHERE, "refused job from " + peer + ": " + reason);
        return report(JobResult.REJ_BAD_REQ, -1, compiler, input, start).withRefusal(why);
    }

    private JobReport report(JobResult result, int status, String compiler, String input, Instant start) {
        return JobReport.of(result, status, compiler, input, Duration.between(start, clock.instant()));
    }

    static byte[] readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    }
}
