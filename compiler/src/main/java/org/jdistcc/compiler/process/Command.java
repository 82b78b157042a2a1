package org.jdistcc.compiler.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One process to run: argv (program first), working directory, the whole environment, where its
 * stdout and stderr go (stdin is always /dev/null), and how long it may live.
 *
 * @param lifetime the longest the process may run before it is killed; {@link Duration#ZERO} for no limit
 */
public record Command(List<String> argv, Path directory, Map<String, String> environment, Path stdout,
                      Path stderr, Duration lifetime) {
    public Command {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }
}
