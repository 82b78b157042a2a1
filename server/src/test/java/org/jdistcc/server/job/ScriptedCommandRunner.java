package org.jdistcc.server.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;

/**
 * A {@link CommandRunner} that replays one scripted compiler: writes the given object to the
 * command's {@code -o} file and text to its stderr, and ends as told. Records every command. It
 * writes the object only below the job's directory, its TMPDIR (where a pump job's fake root is too),
 * after symbolic links: the tests run as root, and an {@code -o} elsewhere is a finding for the test,
 * never a file this fake writes.
 */
final class ScriptedCommandRunner implements CommandRunner {
    final List<Command> commands = new ArrayList<>();
    private final byte[] object;
    private final String stderr;
    private final Outcome outcome;
    private final boolean waitForCancel;

    private ScriptedCommandRunner(byte[] object, String stderr, Outcome outcome, boolean waitForCancel) {
        this.object = object;
        this.stderr = stderr;
        this.outcome = outcome;
        this.waitForCancel = waitForCancel;
    }

    static ScriptedCommandRunner compiles(String object) {
        return new ScriptedCommandRunner(object.getBytes(StandardCharsets.UTF_8), "", Outcome.exited(0), false);
    }

    static ScriptedCommandRunner fails(String stderr) {
        return new ScriptedCommandRunner(new byte[0], stderr, Outcome.exited(1), false);
    }

    static ScriptedCommandRunner endsWith(Outcome outcome) {
        return new ScriptedCommandRunner(new byte[0], "", outcome, false);
    }

    /** Runs until the caller's cancellation check turns true, then reports the cancellation. */
    static ScriptedCommandRunner runsUntilCancelled() {
        return new ScriptedCommandRunner(new byte[0], "", Outcome.killed(15, Outcome.Ending.CANCELLED), true);
    }

    @Override
    public Outcome run(Command command, BooleanSupplier cancelled) throws IOException, InterruptedException {
        commands.add(command);
        int o = command.argv().indexOf("-o");
        if (o >= 0 && o + 1 < command.argv().size() && object.length > 0) {
            Path out = command.directory().resolve(command.argv().get(o + 1)).normalize();
            Path job = Path.of(command.environment().getOrDefault("TMPDIR", command.directory().toString()))
                    .toRealPath();
            if (Files.isDirectory(out.getParent()) && out.getParent().toRealPath().startsWith(job)) {
                Files.write(out, object, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (command.stderr() instanceof Command.Output.ToFile f) {
            Files.writeString(f.file(), stderr);
        }
        if (waitForCancel) {
            for (int i = 0; i < 10_000 && !cancelled.getAsBoolean(); i++) {
                Thread.onSpinWait();
            }
        }
        return outcome;
    }
}
