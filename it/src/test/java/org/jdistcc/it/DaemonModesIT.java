package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RunningProcess;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestWriter;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bin/distccd's process modes, run as an administrator runs them: {@code --daemon} detaches only once
 * it listens and keeps its pid file until SIGTERM; a port taken makes it exit 102; {@code --inetd}
 * serves one job on stdin and stdout. (Started as root, the launcher drops to another user, so every
 * file the daemon writes is in a world-writable scratch directory.)
 */
class DaemonModesIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private Scratch scratch;
    private final List<Path> pidFiles = new ArrayList<>();

    @BeforeEach
    void createScratch() {
        scratch = Scratch.create("daemon");
    }

    @AfterEach
    void killDaemons() {
        for (Path pidFile : pidFiles) {
            BinDistccd.readPid(pidFile).ifPresent(BinDistccd::kill);
        }
        scratch.close();
    }

    private BinDistccd.Daemon startDaemon() {
        BinDistccd.Daemon daemon = BinDistccd.startDaemon(scratch.dir("run"), List.of(),
                BinDistccd.environment(scratch.dir("tmp"), Map.of()));
        pidFiles.add(daemon.pidFile());
        return daemon;
    }

    @Test
    void daemonExitsZeroOnlyOnceListeningAndSigtermRemovesItsPidFile() throws IOException {
        BinDistccd.Daemon daemon = startDaemon();

        // no retry: the launcher's exit 0 must mean the port is open
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 10_000);
        }
        long pid = daemon.pid();
        assertThat(Processes.isGone(pid)).as("daemon %d runs", pid).isFalse();

        ProcessHandle.of(pid).orElseThrow().destroy();

        Poll.until(BOUND, () -> Processes.isGone(pid), () -> "daemon " + pid + " survived SIGTERM");
        Poll.until(BOUND, () -> !Files.exists(daemon.pidFile()), () -> "pid file " + daemon.pidFile() + " left behind");
    }

    @Test
    void secondDaemonOnTheSamePortExits102AndLeavesTheFirstRunning() {
        BinDistccd.Daemon first = startDaemon();
        Path secondPid = scratch.dir("run").resolve("second.pid");
        pidFiles.add(secondPid);

        ProcessResult second = BinDistccd.runDaemon(first.port(), secondPid, scratch.dir("run").resolve("second.log"),
                List.of(), BinDistccd.environment(scratch.dir("tmp"), Map.of()), scratch.dir("run"));

        assertThat(second.exitCode()).as(second.describe()).isEqualTo(102);
        assertThat(secondPid).doesNotExist();
        assertThat(Processes.isGone(first.pid())).as("first daemon still runs").isFalse();
        assertThat(BinDistccd.listening(first.port())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V1", "V2"})
    void inetdModeServesOneJobOverStdinAndStdout(ProtocolVersion version) throws IOException {
        Path work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
        Gcc.run(work, "gcc", "-E", "hello.c", "-o", "hello.i");
        Request request = new Request.Plain(version, List.of("gcc", "-c", "hello.c", "-o", "hello.o"),
                Files.readAllBytes(work.resolve("hello.i")));
        Path tmp = scratch.dir("tmp");

        try (RunningProcess inetd = BinDistccd.start(List.of("--inetd", "--log-stderr", "--log-level", "info"),
                BinDistccd.environment(tmp, Map.of()), scratch.dir("run"), true)) {
            OutputStream toServer = inetd.stdin();
            InputStream fromServer = inetd.stdout();
            new RequestWriter(toServer).write(request);
            // stdin stays open until the reply is in: its end is how a client says it has gone
            Response response = new ResponseReader(fromServer, Limits.DEFAULT).read(version);
            toServer.close();
            ProcessResult ended = inetd.await(BOUND);

            assertThat(response.waitStatus()).as(ended.describe()).isZero();
            assertThat(response.object()).startsWith(0x7f, 'E', 'L', 'F').hasSizeGreaterThan(100);
            assertThat(ended.exitCode()).as(ended.describe()).isZero();
            assertThat(ended.stderr()).contains("COMPILE_OK");
            assertThat(Scratch.contents(tmp)).as("TMPDIR after the job").isEmpty();
        }
    }
}
