package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a whole command where the caller is: in its directory, with its standard streams, terminal
 * and signals. Local compiles, fallbacks, local retries and the preprocessor go through it. In
 * {@code DistccMain} that is this process; in the agent, the native front-end that called it, so
 * that the preprocessor is a child of the process make started, as with stock distcc.
 */
public interface LocalCompiler {
    /**
     * Runs {@code argv}, the program looked up on {@code env}'s PATH, and returns its wait status.
     *
     * @throws java.nio.file.NoSuchFileException if the program is not found
     * @throws IOException if it cannot be started, or the caller went away
     */
    int run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException;

    /**
     * Runs {@code argv} where the caller is, as {@link #run} does, but with no standard input and its
     * standard output into {@code output}, a file that exists: the preprocessor, whose messages go to
     * the caller's stderr as they come, as stock distcc's do.
     */
    int runInto(Path output, List<String> argv, Map<String, String> env) throws IOException, InterruptedException;
}
