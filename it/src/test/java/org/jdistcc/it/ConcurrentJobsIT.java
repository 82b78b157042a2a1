package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RunningProcess;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.Test;

/**
 * Many stock clients at once against a server with fewer job slots than jobs: every one is served
 * (queued, not refused), and every object is the one local gcc makes.
 */
class ConcurrentJobsIT {
    private static final int JOBS = 50;

    @Test
    void fiftyConcurrentStockClientsAgainstTwoSlotsAllCompileRemotelyAndCorrectly() throws Exception {
        try (Scratch scratch = Scratch.create("concurrent");
             InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"), "--jobs", "2")) {
            Path remote = scratch.dir("remote");
            Path local = scratch.dir("local");
            List<String> sources = IntStream.range(0, JOBS).mapToObj(i -> String.format("unit%02d.c", i)).toList();
            for (int i = 0; i < JOBS; i++) {
                scratch.write("remote/" + sources.get(i), Sources.unit(i));
                scratch.write("local/" + sources.get(i), Sources.unit(i));
            }
            // one fresh DISTCC_DIR per client, so no client waits for another's slot lock; half of them
            // speak protocol 1, half protocol 2
            List<StockDistcc> clients = List.of(
                    StockDistcc.toHosts(server.hostSpec(""), scratch.dir("clients")).with("DISTCC_FALLBACK", "0"),
                    StockDistcc.toHosts(server.hostSpec(",lzo"), scratch.dir("clients")).with("DISTCC_FALLBACK", "0"));

            List<RunningProcess> running = new ArrayList<>();
            List<ProcessResult> results = new ArrayList<>();
            try {
                for (int i = 0; i < JOBS; i++) {
                    running.add(clients.get(i % 2).start(remote, List.of("gcc", "-O2", "-c", sources.get(i))));
                }
                for (RunningProcess p : running) {
                    results.add(p.await(Processes.DEFAULT_TIMEOUT));
                }
            } finally {
                running.forEach(RunningProcess::close);
            }

            List<String> args = new ArrayList<>(List.of("-O2", "-c"));
            args.addAll(sources);
            Gcc.run(local, "gcc", args.toArray(String[]::new));
            assertThat(results).allSatisfy(r -> assertThat(r.exitCode()).as(r.describe()).isZero());
            for (String source : sources) {
                String object = source.replace(".c", ".o");
                assertThat(Files.readAllBytes(remote.resolve(object))).as(object).isNotEmpty()
                        .isEqualTo(Files.readAllBytes(local.resolve(object)));
            }
            List<JobReport> reports = server.awaitReports(JOBS);
            assertThat(reports).hasSize(JOBS).allSatisfy(r -> assertThat(r.result()).isEqualTo(JobResult.COMPILE_OK));
            Set<String> inputs = reports.stream().map(JobReport::input).collect(Collectors.toSet());
            assertThat(inputs).containsExactlyInAnyOrderElementsOf(sources);
            assertThat(server.logLines("COMPILE_OK")).hasSize(JOBS);
        }
    }
}
