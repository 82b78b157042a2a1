package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.Sources;
import org.jdistcc.it.support.StockDistcc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Started as root, bin/distccd serves as an unprivileged user, and so do the compilers it runs. The
 * compiler here is a script listed in DISTCC_CMDLIST under the name the stock client sends
 * ({@code x86_64-linux-gnu-gcc}): it records the user and group it runs as, then runs the real gcc.
 * Only meaningful as root (CI runs as root); skipped otherwise.
 */
class PrivilegeDropIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private Scratch scratch;
    private Path pidFile;

    @BeforeAll
    static void onlyAsRoot() throws IOException {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
    }

    @BeforeEach
    void createScratch() {
        scratch = Scratch.create("privileges");
    }

    @AfterEach
    void killDaemon() {
        if (pidFile != null) {
            BinDistccd.readPid(pidFile).ifPresent(BinDistccd::kill);
        }
        scratch.close();
    }

    /** The uid of {@code user}, or -1 if there is no such user. */
    private static long uidOf(String user) {
        Path root = Path.of("/");
        ProcessResult r = Processes.run(List.of("id", "-u", user), root, Processes.baseEnvironment(root));
        return r.exitCode() == 0 ? Long.parseLong(r.stdout().trim()) : -1;
    }

    /** The line {@code name:} of /proc/PID/status, without the name. */
    private static String statusField(long pid, String name) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in /proc/" + pid + "/status"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default user", "--user nobody"})
    void daemonStartedAsRootServesAndCompilesAsAnUnprivilegedUser(String user) throws IOException {
        Path records = scratch.dir("records");
        Path compiler = scratch.script("bin/x86_64-linux-gnu-gcc", """
                #!/bin/sh
                id -u > "%1$s/uid"
                id -g > "%1$s/gid"
                exec /usr/bin/x86_64-linux-gnu-gcc "$@"
                """.formatted(records));
        Path cmdlist = scratch.write("cmdlist", compiler + "\n");
        List<String> args = user.startsWith("--user") ? List.of("--user", "nobody") : List.of();

        BinDistccd.Daemon daemon = BinDistccd.startDaemon(scratch.dir("run"), args,
                BinDistccd.environment(scratch.dir("tmp"), Map.of("DISTCC_CMDLIST", cmdlist.toString())));
        pidFile = daemon.pidFile();
        long pid = daemon.pid();

        List<Long> uids = BinDistccd.uids(pid);
        assertThat(uids).as("Uid: of the daemon").hasSize(4).doesNotContain(0L);
        assertThat(BinDistccd.gids(pid)).as("Gid: of the daemon").hasSize(4).doesNotContain(0L);
        assertThat(statusField(pid, "Groups").split("\\s+")).as("supplementary groups").doesNotContain("0");
        assertThat(Long.parseLong(statusField(pid, "CapEff"), 16)).as("effective capabilities").isZero();
        assertThat(statusField(pid, "NoNewPrivs")).isEqualTo("1");
        // without --user the launcher picks 'distcc' if that user exists, else 'nobody'
        long expected = !user.startsWith("--user") && uidOf("distcc") >= 0 ? uidOf("distcc") : uidOf("nobody");
        assertThat(uids).containsOnly(expected);

        Path work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
        ProcessResult compiled = StockDistcc.toHosts("127.0.0.1:" + daemon.port(), scratch.dir("client"))
                .with("DISTCC_FALLBACK", "0").run(work, "gcc", "-c", "hello.c", "-o", "hello.o");

        assertThat(compiled.exitCode()).as(compiled.describe() + "\nlog:\n" + daemon.log()).isZero();
        Poll.until(BOUND, () -> daemon.log().contains("COMPILE_OK"), () -> "no COMPILE_OK in " + daemon.log());
        long compilerUid = Long.parseLong(Files.readString(records.resolve("uid")).trim());
        long compilerGid = Long.parseLong(Files.readString(records.resolve("gid")).trim());
        assertThat(compilerUid).as("the compiler's uid").isNotZero().isEqualTo(uids.get(0));
        assertThat(compilerGid).as("the compiler's gid").isNotZero();

        ProcessHandle.of(pid).orElseThrow().destroy();
        Poll.until(BOUND, () -> Processes.isGone(pid), () -> "daemon survived SIGTERM");
        Poll.until(BOUND, () -> !Files.exists(pidFile), () -> "pid file left behind");
    }

    @Test
    void askingToKeepRootIsRefusedWithExit112() {
        ProcessResult r = BinDistccd.run(List.of("--daemon", "--no-detach", "--allow", "127.0.0.1", "--listen",
                        "127.0.0.1", "--port", Integer.toString(BinDistccd.freePort()), "--user", "root"),
                BinDistccd.environment(scratch.dir("tmp"), Map.of()), scratch.dir("run"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(112);
        assertThat(r.stderr()).contains("root");
    }

    @Test
    void serverJvmStartedAsRootWithoutTheLauncherDropRefusesToServeWithExit112() {
        // pretend the launcher already dropped privileges: the JVM's own check must catch it
        ProcessResult r = BinDistccd.run(List.of("--daemon", "--no-detach", "--allow", "127.0.0.1", "--listen",
                        "127.0.0.1", "--port", Integer.toString(BinDistccd.freePort())),
                BinDistccd.environment(scratch.dir("tmp"), Map.of("JDISTCC_PRIVILEGES_DROPPED", "1")),
                scratch.dir("run"));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(112);
        assertThat(r.stderr()).contains("root");
    }
}
