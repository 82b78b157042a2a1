package org.jdistcc.compiler.process;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Runs one process to its end. Implementations kill the process and all its descendants when its
 * lifetime passes or when {@code cancelled} turns true (checked about every 100 ms), and never leave
 * one behind when the calling thread is interrupted.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} and waits for it.
     *
     * @throws IOException if the program could not be started at all
     */
    Outcome run(Command command, BooleanSupplier cancelled) throws IOException, InterruptedException;
}
