package org.jdistcc.client;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code distcc} as the caller saw it: the whole argv ({@code argv[0]} is how distcc was
 * invoked), the working directory, the environment and the standard streams. The engine reads
 * nothing else of its process, so it can run inside a resident agent as well as in {@code main}.
 *
 * @param inheritStdio true when the streams are this process's own, so compilers may inherit them
 *                     directly instead of having their output copied
 */
public record Invocation(List<String> argv, Path cwd, Map<String, String> env, InputStream stdin, OutputStream stdout,
                         OutputStream stderr, boolean inheritStdio) {
    public Invocation {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }
}
