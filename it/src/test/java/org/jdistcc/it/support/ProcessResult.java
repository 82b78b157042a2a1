package org.jdistcc.it.support;

import java.util.List;

/**
 * How a finished process ended: its exit status (128+N for death by signal N, as a shell shows it)
 * and everything it wrote.
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {
    public ProcessResult {
        command = List.copyOf(command);
    }

    /** The whole story, for assertion messages. */
    public String describe() {
        return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
    }
}
