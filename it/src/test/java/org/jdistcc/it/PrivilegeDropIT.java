package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Started as root, bin/distccd serves as an unprivileged user, and so do the compilers it runs: no
 * root ids, no capabilities, no new privileges, at the {@code --nice} niceness; every file the
 * daemon makes (pid file, log, a job's directory and what is in it) belongs to that user. The
 * compiler here is a script listed in DISTCC_CMDLIST under the name the stock client sends
 * ({@code x86_64-linux-gnu-gcc}): it records what it runs as, then runs the real gcc. Only
 * meaningful as root (CI runs as root); skipped otherwise.
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

    /**
     * A compiler that writes, into {@code records}, its own /proc status and stat (the script's
     * shell is the process distccd started), the owner, group and mode of its working directory and
     * TMPDIR, and of every file in TMPDIR, all while the job runs; then it runs the real gcc.
     */
    private Path recordingCompiler(Path records) {
        Path compiler = scratch.script("bin/x86_64-linux-gnu-gcc", """
                #!/bin/sh
                cat /proc/$$/status > "%1$s/status"
                cat /proc/$$/stat > "%1$s/stat"
                stat -c '%%u %%g %%a %%n' "$PWD" "$TMPDIR" > "%1$s/job-dirs"
                find "$TMPDIR" -mindepth 1 -printf '%%U %%G %%m %%p\\n' > "%1$s/job-files"
                exec /usr/bin/x86_64-linux-gnu-gcc "$@"
                """.formatted(records));
        return scratch.write("cmdlist", compiler + "\n");
    }

    /** Starts a daemon with {@code args} whose only compiler is {@link #recordingCompiler}. */
    private BinDistccd.Daemon startRecordingDaemon(Path records, List<String> args) {
        Path cmdlist = recordingCompiler(records);
        BinDistccd.Daemon daemon = BinDistccd.startDaemon(scratch.dir("run"), args,
                BinDistccd.environment(scratch.dir("tmp"), Map.of("DISTCC_CMDLIST", cmdlist.toString())));
        pidFile = daemon.pidFile();
        return daemon;
    }

    /** Compiles hello.c through {@code daemon} with the stock client, remotely or not at all. */
    private void compileThrough(BinDistccd.Daemon daemon) {
        Path work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
        ProcessResult compiled = StockDistcc.toHosts("127.0.0.1:" + daemon.port(), scratch.dir("client"))
                .with("DISTCC_FALLBACK", "0").run(work, "gcc", "-c", "hello.c", "-o", "hello.o");
        assertThat(compiled.exitCode()).as(compiled.describe() + "\nlog:\n" + daemon.log()).isZero();
        Poll.until(BOUND, () -> daemon.log().contains("COMPILE_OK"), () -> "no COMPILE_OK in " + daemon.log());
    }

    /** Field {@code n} (1-based, as proc(5) counts) of a /proc/PID/stat line. */
    private static String statField(String stat, int n) {
        // fields 1 and 2 are the pid and "(comm)", which may hold spaces; count from after it
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+")[n - 3];
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + status));
    }

    private static int ownNiceness() throws IOException {
        return Integer.parseInt(statField(Files.readString(Path.of("/proc/self/stat")), 19));
    }

    static Stream<Arguments> niceness() {
        return Stream.of(
                Arguments.of("no --nice (default 5)", List.of(), 5),
                Arguments.of("--nice 12", List.of("--nice", "12"), 12),
                Arguments.of("--nice=3", List.of("--nice=3"), 3),
                Arguments.of("-N 0", List.of("-N", "0"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("niceness")
    void compilersOfARootStartedDaemonHaveNoCapabilitiesAndRunAtTheNiceLevel(String why, List<String> args,
                                                                              int nice) throws IOException {
        Path records = scratch.dir("records");
        BinDistccd.Daemon daemon = startRecordingDaemon(records, args);
        long pid = daemon.pid();
        int expected = Math.min(19, ownNiceness() + nice); // nice(2) adds to what the starter had

        compileThrough(daemon);

        List<String> status = Files.readAllLines(records.resolve("status"));
        String uid = Long.toString(BinDistccd.uids(pid).get(0));
        assertThat(field(status, "Uid").split("\\s+")).as("compiler's real, effective, saved, fs uid")
                .containsOnly(uid).doesNotContain("0");
        assertThat(field(status, "Gid").split("\\s+")).as("compiler's gids").doesNotContain("0");
        assertThat(field(status, "Groups").split("\\s+")).as("compiler's supplementary groups").doesNotContain("0");
        for (String caps : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertThat(Long.parseLong(field(status, caps), 16)).as("compiler's " + caps).isZero();
        }
        assertThat(field(status, "NoNewPrivs")).as("compiler's NoNewPrivs").isEqualTo("1");
        String stat = Files.readString(records.resolve("stat"));
        assertThat(Integer.parseInt(statField(stat, 19))).as("compiler's niceness, /proc/PID/stat field 19")
                .isEqualTo(expected);
        assertThat(Integer.parseInt(statField(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), 19)))
                .as("the daemon's own niceness").isEqualTo(expected);
        List<String> daemonStatus = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        for (String caps : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertThat(Long.parseLong(field(daemonStatus, caps), 16)).as("daemon's " + caps).isZero();
        }
    }

    @Test
    void pidFileLogAndJobDirectoriesOfARootStartedDaemonBelongToTheDroppedUser() throws IOException {
        Path records = scratch.dir("records");
        BinDistccd.Daemon daemon = startRecordingDaemon(records, List.of());
        long pid = daemon.pid();
        long uid = BinDistccd.uids(pid).get(0);
        long gid = BinDistccd.gids(pid).get(0);
        assertThat(uid).isNotZero();

        compileThrough(daemon);

        for (Path file : List.of(daemon.pidFile(), daemon.logFile())) {
            assertThat(Files.getAttribute(file, "unix:uid")).as("owner of " + file).isEqualTo((int) uid);
            assertThat(Files.getAttribute(file, "unix:gid")).as("group of " + file).isEqualTo((int) gid);
        }
        // while the job ran: its directory is the compiler's working directory and TMPDIR, private to the user
        Path tmp = scratch.dir("tmp");
        List<String> dirs = Files.readAllLines(records.resolve("job-dirs"));
        assertThat(dirs).hasSize(2);
        for (String line : dirs) {
            String[] f = line.split(" ", 4);
            assertThat(f[3]).as("job directory").startsWith(tmp.resolve("distccd_").toString());
            assertThat(List.of(f[0], f[1], f[2])).as("owner, group and mode of " + f[3])
                    .containsExactly(Long.toString(uid), Long.toString(gid), "700");
        }
        List<String> files = Files.readAllLines(records.resolve("job-files"));
        assertThat(files).as("the job's files: its input at least").isNotEmpty();
        for (String line : files) {
            String[] f = line.split(" ", 4);
            assertThat(List.of(f[0], f[1])).as("owner and group of " + f[3])
                    .containsExactly(Long.toString(uid), Long.toString(gid));
        }
        Poll.until(BOUND, () -> Scratch.contents(tmp).isEmpty(), () -> "job files left: " + Scratch.contents(tmp));
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
