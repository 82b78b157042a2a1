package org.jdistcc.server.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jdistcc.protocol.Printable;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.server.log.Log;

/**
 * What plain-mode and pump-mode jobs share once the request is checked and its files are in place:
 * the compiler run under a job slot in the job's directory, with its stdout and stderr in the job's
 * files, and what its ending means for the reply, logged in distccd's words.
 */
final class CompileStep {
    private static final String WHERE = "dcc_serve";

    private final JobSettings settings;
    private final JobSlots slots;
    private final CommandRunner runner;
    private final Clock clock;
    private final Log log;
    private final JobEvents events;

    CompileStep(JobSettings settings, JobSlots slots, CommandRunner runner, Clock clock, Log log, JobEvents events) {
        this.settings = settings;
        this.slots = slots;
        this.runner = runner;
        this.clock = clock;
        this.log = log;
        this.events = events;
    }

    /**
     * How a job's compile ended: the wait status the client's reply carries and the job's result for
     * the report; {@link JobResult#CLI_DISCONN} (the client went away) gets no reply, with status -1
     * when the client left before the compiler started.
     */
    record Ending(int waitStatus, JobResult result) {
        boolean replies() {
            return result != JobResult.CLI_DISCONN;
        }
    }

    /**
     * The ending for a compiler that is not on the server's PATH: distccd's line, logged and written
     * into the job's stderr file, and exit status 110 for the client.
     */
    Ending compilerMissing(String command, String peer, Path stderr) throws IOException {
        String message = "failed to exec " + command + ": No such file or directory";
        log.error("dcc_execvp", message + " (job from " + peer + ")");
        Files.writeString(stderr, "distccd[" + ProcessHandle.current().pid() + "] (dcc_execvp) ERROR: " + message
                + "\n");
        return new Ending(ExitCode.COMPILER_MISSING.asWaitStatus(), JobResult.COMPILE_ERROR);
    }

    /**
     * Runs {@code argv} in {@code cwd} once a job slot is free, with the compiler's environment for
     * the job directory {@code ws} and its stdout and stderr in the files of that name there, killed
     * when it outlives {@code --job-lifetime} or the client goes away.
     */
    Ending run(List<String> argv, Path cwd, Workspace ws, String input, String peer, BooleanSupplier peerGone)
            throws IOException, InterruptedException {
        Instant queued = clock.instant();
        if (!slots.acquire(peerGone)) {
            log.warning(WHERE, "client " + peer + " disconnected while waiting for a job slot");
            return new Ending(-1, JobResult.CLI_DISCONN);
        }
        Instant running = clock.instant();
        events.slotAcquired(Duration.between(queued, running));
        Outcome outcome;
        try {
            outcome = runner.run(Command.toFiles(argv, cwd, JobHandler.environment(settings, ws.dir()),
                    ws.file("stdout"), ws.file("stderr"), settings.jobLifetime()), peerGone);
        } finally {
            slots.release();
            events.compilerRan(Duration.between(running, clock.instant()));
        }
        return switch (outcome.ending()) {
            case EXITED -> new Ending(outcome.waitStatus(),
                    outcome.succeeded() ? JobResult.COMPILE_OK : JobResult.COMPILE_ERROR);
            case TIMED_OUT -> {
                log.error(WHERE, "compilation of " + Printable.of(input) + " from " + peer
                        + " exceeded --job-lifetime " + settings.jobLifetime().toSeconds() + "s; killed");
                yield new Ending(ExitCode.TIMEOUT.asWaitStatus(), JobResult.COMPILE_TIMEOUT);
            }
            case CANCELLED -> {
                log.warning(WHERE, "client " + peer + " disconnected, killing job");
                yield new Ending(outcome.waitStatus(), JobResult.CLI_DISCONN);
            }
        };
    }
}
