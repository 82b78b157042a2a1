package org.jdistcc.server.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;

/**
 * A {@link CommandRunner} that runs nothing: it records each command and behaves like a compiler
 * that leaves litter. It writes an object to the command's last {@code -o} (only inside the job's
 * directory or, for pump jobs, its TMPDIR: a hostile path is the test's finding, never a file this fake writes), some stderr, and
 * stray files and a directory beside it (as {@code -save-temps} and C++ modules do), and ends with a
 * success, a compile error or a signal in turn. Confined to one thread.
 */
final class RecordingCommandRunner implements CommandRunner {
    static final byte[] OBJECT = "\177ELF fake object".getBytes(StandardCharsets.US_ASCII);

    private final List<Command> commands = new ArrayList<>();
    private long runs;

    /** The commands recorded since the last call, which forgets them. */
    List<Command> takeCommands() {
        List<Command> taken = List.copyOf(commands);
        commands.clear();
        return taken;
    }

    @Override
    public Outcome run(Command command, BooleanSupplier cancelled) throws IOException {
        commands.add(command);
        long n = runs++;
        Path dir = command.directory();
        String output = lastOutput(command.argv());
        if (output != null) {
            Path out = dir.resolve(output).normalize();
            // a pump job runs below its fake root and writes its object into its job directory (TMPDIR)
            Path job = Path.of(command.environment().getOrDefault("TMPDIR", dir.toString()));
            if (out.startsWith(dir) || out.getParent() != null && out.getParent().equals(job)) {
                Files.write(out, OBJECT);
            }
        }
        if (command.stderr() instanceof Command.Output.ToFile f) {
            Files.writeString(f.file(), "hello.c:1: warning: recorded\n");
        }
        if (n % 3 == 0) {
            Files.writeString(dir.resolve("input.s"), "stray -save-temps file");
            Files.createDirectories(dir.resolve("gcm.cache/sub"));
            Files.writeString(dir.resolve("gcm.cache/sub/x.gcm"), "module");
        }
        return switch ((int) (n % 10)) {
            case 7 -> Outcome.exited(1);
            case 8 -> Outcome.killed(11, Outcome.Ending.EXITED);
            default -> Outcome.exited(0);
        };
    }

    /** The value of the last {@code -o FILE} or {@code -oFILE}, as gcc takes it; null if none. */
    private static String lastOutput(List<String> argv) {
        String output = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-o") && i + 1 < argv.size()) {
                output = argv.get(++i);
            } else if (a.startsWith("-o") && a.length() > 2) {
                output = a.substring(2);
            }
        }
        return output;
    }
}
