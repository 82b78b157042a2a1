package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RawConnection;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.server.job.JobResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A compiler that runs too long, or whose client went away, is killed with everything it started,
 * and its job directory is removed. The "compiler" is a script, {@code slowcc}, allowed through a
 * masquerade directory and found on the server's PATH; it records its own and its child's process
 * ids and then waits 30 s for its child, a {@code sleep}.
 */
class RunawayCompilerIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private Scratch scratch;
    private Path records;
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void writeSlowCompiler() {
        scratch = Scratch.create("runaway");
        records = scratch.dir("records");
        scratch.script("bin/slowcc", """
                #!/bin/sh
                echo $$ > "%1$s/compiler.pid"
                sleep 30 &
                echo $! > "%1$s/child.tmp" && mv "%1$s/child.tmp" "%1$s/child.pid"
                wait $!
                """.formatted(records));
        scratch.script("masquerade/slowcc", "#!/bin/sh\nexit 99\n");
    }

    @AfterEach
    void killLeftovers() {
        pids.forEach(Processes::killIfAlive);
        scratch.close();
    }

    private InProcessDistccd startServer(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--masquerade-dir", scratch.dir("masquerade").toString()));
        args.addAll(List.of(extraArgs));
        return InProcessDistccd.start(scratch.dir("server-tmp"), args,
                Map.of("PATH", scratch.dir("bin") + ":/usr/bin:/bin"));
    }

    private static byte[] slowJob() {
        return RawConnection.encode(new Request.Plain(ProtocolVersion.V1,
                List.of("slowcc", "-c", "slow.c", "-o", "slow.o"),
                "int main(void) { return 0; }\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Waits until the script has started its child, and returns both process ids. */
    private List<Long> awaitCompilerRunning() throws IOException {
        Path child = records.resolve("child.pid");
        Poll.until(BOUND, () -> Files.exists(child), () -> "slowcc did not start");
        pids.add(Long.parseLong(Files.readString(records.resolve("compiler.pid")).trim()));
        pids.add(Long.parseLong(Files.readString(child).trim()));
        return List.copyOf(pids);
    }

    /**
     * The process ids the script recorded before the server killed it: at least its own (its first
     * command), and its child's unless the kill came first.
     */
    private List<Long> recordedPids() throws IOException {
        assertThat(records.resolve("compiler.pid")).as("slowcc ran").exists();
        pids.add(Long.parseLong(Files.readString(records.resolve("compiler.pid")).trim()));
        if (Files.exists(records.resolve("child.pid"))) {
            pids.add(Long.parseLong(Files.readString(records.resolve("child.pid")).trim()));
        }
        return List.copyOf(pids);
    }

    private void assertKilled(List<Long> compilerPids) {
        for (long pid : compilerPids) {
            Poll.until(BOUND, () -> Processes.isGone(pid), () -> "process " + pid + " of the compiler still runs");
        }
    }

    @Test
    void compilerOutlivingJobLifetimeIsKilledAndTheClientGetsStatus118() throws IOException {
        try (InProcessDistccd server = startServer("--job-lifetime", "1");
             RawConnection c = RawConnection.open(server.port())) {
            c.send(slowJob());

            Response response = new ResponseReader(c.in(), Limits.DEFAULT).read(ProtocolVersion.V1);
            List<Long> compiler = recordedPids();

            assertThat(response.waitStatus()).isEqualTo(ExitCode.TIMEOUT.code() << 8);
            assertThat(response.object()).isEmpty();
            assertThat(server.awaitReport(JobResult.COMPILE_TIMEOUT, "slow.c").waitStatus())
                    .isEqualTo(ExitCode.TIMEOUT.code() << 8);
            assertKilled(compiler);
            assertThat(Scratch.contents(server.tmpDir())).as("server TMPDIR").isEmpty();
        }
    }

    @Test
    void clientThatDisconnectsMidCompileGetsItsCompilerKilledAndJobDirectoryRemoved() throws IOException {
        try (InProcessDistccd server = startServer()) {
            List<Long> compiler;
            try (RawConnection c = RawConnection.open(server.port())) {
                c.send(slowJob());
                compiler = awaitCompilerRunning();
                assertThat(Scratch.contents(server.tmpDir())).as("the job directory while it runs").isNotEmpty();
            }

            server.awaitReport(JobResult.CLI_DISCONN, "slow.c");
            assertKilled(compiler);
            assertThat(Scratch.contents(server.tmpDir())).as("server TMPDIR").isEmpty();
            assertThat(server.logLines("disconnected")).isNotEmpty();
        }
    }
}
