package org.jdistcc.client;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;

/**
 * One run of {@code distcc} as the caller saw it: the whole argv ({@code argv[0]} is how distcc was
 * invoked), the working directory, the environment, where its output goes, its umask, and how to run
 * a command where it is. The engine reads nothing else of its process, so it runs inside the
 * resident agent as well as in {@code main}.
 *
 * @param umask the caller's umask for the files distcc writes, or -1 for this process's own
 * @param here  runs local compiles where the caller is
 * @param callerPid the process make started for this job (the front-end, for the agent), whose pid
 *              names the job's state file; 0 for this process
 */
public record Invocation(List<String> argv, Path cwd, Map<String, String> env, OutputStream stdout,
                         OutputStream stderr, int umask, LocalCompiler here, long callerPid) {
    public Invocation {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /** A caller in this process. */
    public Invocation(List<String> argv, Path cwd, Map<String, String> env, OutputStream stdout,
                      OutputStream stderr, int umask, LocalCompiler here) {
        this(argv, cwd, env, stdout, stderr, umask, here, 0);
    }

    /**
     * A caller in this process with these streams. With {@code inherit}, local compiles use this
     * process's own standard streams directly (the streams given must then be those); otherwise
     * their stdin is read from and their output copied to the streams given.
     */
    public static Invocation inProcess(List<String> argv, Path cwd, Map<String, String> env, InputStream stdin,
                                       OutputStream stdout, OutputStream stderr, boolean inherit, CommandRunner runner) {
        LocalCompiler here = inherit
                ? new ProcessLocalCompiler(runner, cwd, new Command.Input.Inherit(), new Command.Output.Inherit(),
                        new Command.Output.Inherit())
                : new ProcessLocalCompiler(runner, cwd, new Command.Input.From(stdin), new Command.Output.To(stdout),
                        new Command.Output.To(stderr));
        return new Invocation(argv, cwd, env, stdout, stderr, -1, here);
    }
}
