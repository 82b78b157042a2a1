package org.jdistcc.server.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.jdistcc.compiler.ScanResult;
import org.jdistcc.protocol.IncludedFile;
import org.jdistcc.protocol.Printable;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseWriter;
import org.jdistcc.server.log.Log;

/**
 * Serves pump-mode (protocol 3) jobs, the way distccd 3.4 does: the request's files are made below
 * a {@link FakeRoot} that stands for the client's {@code /}, the compiler runs, preprocessor
 * included, in the client's working directory below it with the command {@link PumpArguments}
 * makes, and the reply carries the object with its debug paths fixed ({@link DebugPaths}) and the
 * {@code .d} file rewritten ({@link DependencyFile}). The checks are those of plain mode
 * ({@code ArgumentPolicy.checkPump}, the argument scan, the compiler allow-list) plus the fake
 * root's own; a refusal is one log line and no reply. The job directory and the root are removed on
 * every path.
 */
final class PumpJobs {
    private static final String WHERE = "dcc_serve";

    private final JobSettings settings;
    private final CompileStep step;
    private final Clock clock;
    private final Log log;
    private final CompilerLocator locator;
    private final JobEvents events;
    private final RandomGenerator random = new SecureRandom();

    PumpJobs(JobSettings settings, CompileStep step, Clock clock, Log log, CompilerLocator locator, JobEvents events) {
        this.events = events;
        this.settings = settings;
        this.step = step;
        this.clock = clock;
        this.log = log;
        this.locator = locator;
    }

    /** The files of one job: its private directory and its fake root. */
    private record Job(Request.Pump request, ScanResult.Distribute scan, String command, Workspace ws,
                       FakeRoot root) {
        String compiler() {
            return request.argv().get(0);
        }
    }

    JobReport serve(Request.Pump request, OutputStream out, String peer, BooleanSupplier peerGone, Instant start)
            throws InterruptedException {
        String compiler = request.argv().get(0);
        return switch (Admission.of(request.argv(), settings.arguments().checkPump(request.argv()),
                settings.compilers())) {
            case Admission.Refused r -> refuse(r.why(), peer, r.reason(), compiler, r.input(), start);
            case Admission.Admitted(ScanResult.Distribute distribute, String command) -> {
                try (Workspace ws = Workspace.create(settings.tmpDir(), settings.saveTemps());
                     FakeRoot root = FakeRoot.create(settings.tmpDir(), settings.saveTemps(),
                             settings.limits().maxFiles(), random)) {
                    yield compile(new Job(request, distribute, command, ws, root), out, peer, peerGone, start);
                } catch (UnsafeEntryException e) {
                    yield refuse(Refusal.BAD_REQUEST, peer, e.getMessage(), compiler, distribute.input(), start);
                } catch (IOException e) {
                    log.error(WHERE, "pump job from " + peer + " failed: " + Log.describe(e));
                    yield report(JobResult.OTHER, -1, compiler, distribute.input(), start);
                }
            }
        };
    }

    private JobReport compile(Job job, OutputStream out, String peer, BooleanSupplier peerGone, Instant start)
            throws IOException, InterruptedException, UnsafeEntryException {
        Path cwd = job.root().makeWorkingDirectory(job.request().cwd());
        for (IncludedFile file : job.request().files()) {
            job.root().add(file);
        }
        job.root().checkLinks();
        Files.createFile(job.ws().file("stdout"));
        Files.createFile(job.ws().file("stderr"));
        Optional<PumpArguments.Rewritten> rewritten = PumpArguments.rewrite(job.scan(), job.root().dir().toString(),
                output(job).toString(), job.ws().file("output.d").toString());
        if (rewritten.isEmpty()) {
            return refuse(Refusal.ARGUMENTS, peer, "failed to find -o, or -MT without a value, in "
                    + Printable.of(String.join(" ", job.scan().argv())), job.compiler(), job.scan().input(), start);
        }
        Optional<Path> program = locator.locate(job.command());
        if (program.isEmpty()) {
            return reply(job, rewritten.get(), step.compilerMissing(job.command(), peer, job.ws().file("stderr")), out,
                    peer, start);
        }
        List<String> argv = JobHandler.withProgram(rewritten.get().argv(), program.get(), settings, locator);
        argv.add("-c");
        return reply(job, rewritten.get(), step.run(argv, cwd, job.ws(), job.scan().input(), peer, peerGone), out,
                peer, start);
    }

    private static Path output(Job job) {
        return job.ws().file("output.o");
    }

    private JobReport reply(Job job, PumpArguments.Rewritten command, CompileStep.Ending ending, OutputStream out,
                            String peer, Instant start) {
        int waitStatus = ending.waitStatus();
        if (!ending.replies()) {
            return report(ending.result(), waitStatus, job.compiler(), job.scan().input(), start);
        }
        try {
            byte[] object = new byte[0];
            byte[] dependencies = null;
            if (waitStatus == 0) {
                object = JobHandler.readIfPresent(output(job));
                String root = job.root().dir().toString();
                DebugPaths.rewrite(object, root);
                if (!job.root().realDir().toString().equals(root)) {
                    DebugPaths.rewrite(object, job.root().realDir().toString());
                }
                dependencies = DependencyFile.rewrite(JobHandler.readIfPresent(job.ws().file("output.d")), root,
                        output(job).toString(), command.target());
            }
            Response response = new Response(ProtocolVersion.V3, waitStatus, Files.readAllBytes(job.ws().file("stderr")),
                    Files.readAllBytes(job.ws().file("stdout")), object, dependencies);
            new ResponseWriter(out).write(response);
            events.replySent(response);
        } catch (IOException e) {
            log.error(WHERE, "failed to send reply to " + peer + ": " + Log.describe(e));
            return report(JobResult.OTHER, waitStatus, job.compiler(), job.scan().input(), start);
        }
        return report(ending.result(), waitStatus, job.compiler(), job.scan().input(), start);
    }

    private JobReport refuse(Refusal why, String peer, String reason, String compiler, String input, Instant start) {
        log.error(WHERE, "refused pump job from " + peer + ": " + reason);
        return report(JobResult.REJ_BAD_REQ, -1, compiler, input, start).withRefusal(why);
    }

    private JobReport report(JobResult result, int status, String compiler, String input, Instant start) {
        return JobReport.of(result, status, compiler, input, Duration.between(start, clock.instant()));
    }
}
