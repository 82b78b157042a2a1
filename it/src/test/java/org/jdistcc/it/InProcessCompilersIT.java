package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdistcc.it.support.InProcessDistccd;
import org.jdistcc.it.support.RawConnection;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.server.job.JobResult;
import org.jdistcc.testing.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tests' own safety net: an in-process distccd runs as root when the tests do, but its compilers
 * run as {@code nobody}, with no supplementary groups, no capabilities and no new privileges, in a
 * job directory handed to that user, so that a compiler misled by a hostile command line cannot write
 * where root can. The server has the default allow-list (/usr/lib/distcc), as the hostile clients'
 * tests do, and finds {@code gcc} first in a directory of the test's, where it is a script that
 * records what it runs as and tries to write into a directory only root may write to, then runs the
 * real gcc. Skipped unless the test runs as root.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class InProcessCompilersIT {
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(60);

    private Scratch scratch;

    @BeforeEach
    void createScratch() {
        assumeTrue(Unprivileged.ifRoot().isPresent(), "needs root");
        scratch = Scratch.create("in-process-compilers");
    }

    @AfterEach
    void removeScratch() {
        if (scratch != null) {
            scratch.close();
        }
    }

    @Test
    void compilerOfAnInProcessServerStartedAsRootRunsAsNobodyAndCannotWriteWhereOnlyRootMay() throws IOException {
        Unprivileged nobody = Unprivileged.ifRoot().orElseThrow();
        Path records = scratch.dir("records");
        Path rootOnly = scratch.dir("root-only");
        Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        scratch.script("bin/gcc", """
                #!/bin/sh
                id -u > "%1$s/uid"
                id -G > "%1$s/groups"
                grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status > "%1$s/status"
                stat -c %%u "$TMPDIR" > "%1$s/job-dir-owner"
                if touch "%2$s/written" 2>/dev/null; then echo yes; else echo no; fi > "%1$s/wrote-root-only"
                exec /usr/bin/gcc "$@"
                """.formatted(records, rootOnly));

        try (InProcessDistccd server = InProcessDistccd.start(scratch.dir("server-tmp"), List.of(),
                Map.of("PATH", scratch.dir("bin") + ":/usr/bin:/bin"));
             RawConnection c = RawConnection.open(server.port())) {
            c.send(RawConnection.encode(new Request.Plain(ProtocolVersion.V1,
                    List.of("gcc", "-c", "tiny.c", "-o", "tiny.o"),
                    "int main(void) { return 0; }\n".getBytes(StandardCharsets.US_ASCII))));
            Response r = new ResponseReader(new ByteArrayInputStream(c.awaitEnd(CLOSE_BOUND).received()),
                    Limits.DEFAULT).read(ProtocolVersion.V1);

            assertThat(r.waitStatus()).as(new String(r.stderr(), StandardCharsets.UTF_8) + server.log()).isZero();
            assertThat(r.object()).startsWith(0x7f, 'E', 'L', 'F');
            server.awaitReport(JobResult.COMPILE_OK, "tiny.c");
        }
        assertThat(read(records, "uid")).isEqualTo(Integer.toString(nobody.uid()));
        assertThat(read(records, "groups")).isEqualTo(Integer.toString(nobody.gid()));
        assertThat(read(records, "status").lines()).containsExactlyInAnyOrder("CapEff:\t0000000000000000",
                "CapBnd:\t0000000000000000", "NoNewPrivs:\t1");
        assertThat(read(records, "job-dir-owner")).isEqualTo(Integer.toString(nobody.uid()));
        assertThat(read(records, "wrote-root-only")).isEqualTo("no");
        assertThat(Scratch.contents(rootOnly)).isEmpty();
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name)).trim();
    }
}
