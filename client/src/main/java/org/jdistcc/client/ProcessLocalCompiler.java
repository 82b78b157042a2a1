package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;

/**
 * The {@link LocalCompiler} of a caller in this process: the program is found on the caller's PATH
 * and run through the {@link CommandRunner} with the given streams (this process's own, inherited,
 * for {@code DistccMain}; copies, in tests).
 */
public record ProcessLocalCompiler(CommandRunner runner, Path cwd, Command.Input stdin, Command.Output stdout,
                                   Command.Output stderr) implements LocalCompiler {

    @Override
    public int run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        return runWith(argv, env, stdin, stdout);
    }

    @Override
    public int runInto(Path output, List<String> argv, Map<String, String> env)
            throws IOException, InterruptedException {
        return runWith(argv, env, new Command.Input.Null(), new Command.Output.ToFile(output, false));
    }

    private int runWith(List<String> argv, Map<String, String> env, Command.Input in, Command.Output out)
            throws IOException, InterruptedException {
        Path program = CompilerNames.which(argv.get(0), env.getOrDefault("PATH", ""), cwd)
                .orElseThrow(() -> new NoSuchFileException(argv.get(0)));
        List<String> resolved = new ArrayList<>(argv);
        resolved.set(0, program.toString());
        return runner.run(new Command(resolved, cwd, env, in, out, stderr, Duration.ZERO), () -> false).waitStatus();
    }
}
