package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the compiler says on the server reaches the stock client's stderr: errors with the compiler's
 * exit status (no local retry, so what the user sees is the remote result), warnings on success.
 */
class CompilerDiagnosticsIT {
    private Scratch scratch;
    private InProcessDistccd server;
    private Path work;
    private StockDistcc client;

    @BeforeEach
    void startServer() {
        scratch = Scratch.create("diagnostics");
        server = InProcessDistccd.start(scratch.dir("server-tmp"), "--jobs", "2");
        work = scratch.dir("work");
        client = StockDistcc.toHosts(server.hostSpec(""), scratch.dir("client"))
                .with("DISTCC_SKIP_LOCAL_RETRY", "1");
    }

    @AfterEach
    void stopServer() {
        server.close();
        scratch.close();
    }

    @Test
    void compileErrorComesBackOnStderrWithExitStatusOneAndNoObject() {
        scratch.write("work/broken.c", """
                int main(void) {
                    return undeclared_variable_xyz;
                }
                """);

        ProcessResult r = client.run(work, "gcc", "-c", "broken.c", "-o", "broken.o");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderr()).contains("broken.c:2:").contains("error:").contains("undeclared_variable_xyz");
        assertThat(work.resolve("broken.o")).doesNotExist();
        JobReport report = server.awaitReport(JobResult.COMPILE_ERROR, "broken.c");
        assertThat(report.waitStatus()).isEqualTo(1 << 8);
        assertThat(server.reports(JobResult.COMPILE_OK)).isEmpty();
    }

    @Test
    void warningOfASuccessfulCompileComesBackOnStderr() throws Exception {
        scratch.write("work/warns.c", """
                int main(void) {
                    int unused_variable_xyz;
                    return 0;
                }
                """);

        ProcessResult r = client.with("DISTCC_FALLBACK", "0")
                .run(work, "gcc", "-Wall", "-c", "warns.c", "-o", "warns.o");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).contains("warns.c:2:").contains("warning:").contains("unused variable")
                .contains("unused_variable_xyz");
        assertThat(Files.size(work.resolve("warns.o"))).isPositive();
        server.awaitReport(JobResult.COMPILE_OK, "warns.c");
    }
}
