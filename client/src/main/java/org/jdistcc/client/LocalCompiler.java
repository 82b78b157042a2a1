package org.jdistcc.client;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Runs a whole command where the caller is: in its directory, with its standard streams, terminal
 * and signals. Local compiles, fallbacks and local retries go through it; the engine's own helpers
 * (the preprocessor) do not. In {@code DistccMain} that is this process; in the agent, the native
 * front-end that called it.
 */
public interface LocalCompiler {
    /**
     * Runs {@code argv}, the program looked up on {@code env}'s PATH, and returns its wait status.
     *
     * @throws java.nio.file.NoSuchFileException if the program is not found
     * @throws IOException if it cannot be started, or the caller went away
     */
    int run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException;
}
