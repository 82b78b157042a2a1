package org.jdistcc.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real compiler, run locally to produce what a distributed compile must match. */
public final class Gcc {
    private Gcc() {
    }

    /** Runs {@code /usr/bin/<driver> ARGS...} in {@code dir}; the compile must succeed. */
    public static ProcessResult run(Path dir, String driver, String... args) {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/" + driver);
        command.addAll(List.of(args));
        ProcessResult r = Processes.run(command, dir, Processes.baseEnvironment(dir));
        assertThat(r.exitCode()).as("local compile\n%s", r.describe()).isZero();
        return r;
    }
}
