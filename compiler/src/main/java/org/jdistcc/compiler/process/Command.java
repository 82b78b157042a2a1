package org.jdistcc.compiler.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One process to run: argv (program first), working directory, the whole environment, where its
 * standard streams come from and go, and how long it may live.
 *
 * @param lifetime the longest the process may run before it is killed; {@link Duration#ZERO} for no limit
 */
public record Command(List<String> argv, Path directory, Map<String, String> environment, Input stdin,
                      Output stdout, Output stderr, Duration lifetime) {
    public Command {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** A command reading /dev/null, writing stdout to a file and appending stderr to another, as distccd runs compilers. */
    public static Command toFiles(List<String> argv, Path directory, Map<String, String> environment, Path stdout,
                                  Path stderr, Duration lifetime) {
        return new Command(argv, directory, environment, new Input.Null(), new Output.ToFile(stdout, false),
                new Output.ToFile(stderr, true), lifetime);
    }

    /** Where a process's standard input comes from. */
    public sealed interface Input {
        /** /dev/null. */
        record Null() implements Input {
        }

        /** This JVM's own standard input, passed to the process as it is. */
        record Inherit() implements Input {
        }

        /** Copied from a stream until it ends. */
        record From(InputStream in) implements Input {
        }
    }

    /** Where a process's standard output or error goes. */
    public sealed interface Output {
        /** A file, truncated or appended to. */
        record ToFile(Path file, boolean append) implements Output {
        }

        /** This JVM's own stream, passed to the process as it is. */
        record Inherit() implements Output {
        }

        /** Copied to a stream; the stream is flushed, not closed. */
        record To(OutputStream out) implements Output {
        }
    }
}
