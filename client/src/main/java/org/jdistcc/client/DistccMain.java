package org.jdistcc.client;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jdistcc.compiler.process.ProcessCommandRunner;

/**
 * The {@code distcc} command: reads this process's argv (the launcher passes how it was invoked as
 * the first argument), directory, environment and standard streams, runs the engine, exits with its
 * status. The only class of the client that touches the process or exits.
 */
public final class DistccMain {
    private DistccMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> argv = args.length == 0 ? List.of("distcc") : List.of(args);
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Invocation inv = Invocation.inProcess(argv, Path.of(System.getProperty("user.dir")), System.getenv(),
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), true, runner);
        int status = new DistccClient(runner, Clock.systemUTC(), ProcessHandle.current().pid()).run(inv);
        System.exit(status);
    }
}
