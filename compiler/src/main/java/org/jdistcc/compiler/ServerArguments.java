package org.jdistcc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jdistcc.compiler.ScanResult.Distribute;

/**
 * The command a server runs for a plain-mode (protocol 1 and 2) job: the scanned argv with the
 * input argument replaced by the server's temp input and the output name replaced by its temp
 * output, nothing else changed ({@code dcc_set_input} and {@code dcc_set_output} in
 * {@code serve.c}).
 *
 * <p>Callers keep one rule: pass the {@link Distribute} the server's own scan of the received argv
 * produced, never the client's. The rewrite uses the scan's indices, so it replaces exactly the
 * arguments the scanner chose; distcc instead replaces the first source-looking argument and the
 * first {@code -o…} argument, which differs only for command lines such as
 * {@code -MF -ofoo} or {@code -o foo.c}, where distcc rewrites the wrong word.
 */
public final class ServerArguments {

    private ServerArguments() {
    }

    /**
     * The argv to run, or empty when the output is a bare {@code .o} argument without {@code -o}
     * ({@code gcc -c hello.c hello.o}): there is no {@code -o} to point at the temp output, and
     * stock distccd fails such a job ("failed to find -o") so the client compiles it locally.
     */
    public static Optional<List<String>> withTempFiles(Distribute job, String tempInput,
                                                       String tempOutput) {
        List<String> argv = new ArrayList<>(job.argv());
        argv.set(job.inputIndex(), tempInput);
        switch (job.outputForm()) {
            case SEPARATE, IMPLIED -> argv.set(job.outputIndex(), tempOutput);
            case JOINED -> argv.set(job.outputIndex(), "-o" + tempOutput);
            case BARE_OBJECT -> {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(argv));
    }
}
