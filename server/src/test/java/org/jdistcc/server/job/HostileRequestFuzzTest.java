package org.jdistcc.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.ProtocolVersion;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseReader;
import org.jdistcc.server.access.ArgumentPolicy;
import org.jdistcc.server.access.MasqueradePolicy;
import org.jdistcc.server.log.Level;
import org.jdistcc.server.log.Log;
import org.jdistcc.testing.HostileArguments;
import org.jdistcc.testing.HostileRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million generated malformed and hostile requests ({@link HostileRequests}, fixed seeds) through
 * {@link JobHandler#serve} on in-memory streams, with a {@link RecordingCommandRunner} in place of
 * gcc. For every request: serve returns normally; the reply is nothing or one well-formed response
 * in the request's protocol version; the job's TMPDIR is empty again and its request memory given
 * back; every log line is printable; and every command that would have run starts with an allowed
 * compiler from the server's PATH, runs in its job directory and, read as gcc reads it
 * ({@link GccFileAccess}), touches no path the server did not choose. Two workers share the count,
 * one per core, each with its own handler and TMPDIR. A request fed from memory cannot wait for input,
 * so a hang is a loop, and the test's timeout catches it; the slowest request is printed, not judged
 * (speed belongs to the benchmarks). {@code -Djdistcc.fuzz.requests=N} and
 * {@code -Djdistcc.fuzz.seed=S} change the count and seed.
 */
class HostileRequestFuzzTest {
    private static final int REQUESTS = Integer.getInteger("jdistcc.fuzz.requests", 1_000_000);
    private static final long SEED = Long.getLong("jdistcc.fuzz.seed", 0x5EED_D15CL);
    private static final int WORKERS = 2;
    /** Request bodies all connections of one worker may hold; an LZO bomb runs into it. */
    private static final long REQUEST_MEMORY = 32L << 20;
    /** Heap the whole run may retain after a full collection. */
    private static final long RETAINED_HEAP_BOUND = 32L << 20;
    private static final int EXAMPLES = 25;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void millionHostileRequestsNeverCrashHangLeaveFilesOrRunAnythingOutsideTheJob() throws Exception {
        Path bin = Files.createDirectory(root.resolve("bin"));
        Path masquerade = Files.createDirectory(root.resolve("masq"));
        for (String name : HostileArguments.ALLOWED_COMPILERS) {
            executable(bin.resolve(name));
            executable(masquerade.resolve(name));
        }
        executable(masquerade.resolve("x86_64-linux-gnu-gcc")); // allowed, but not on the PATH
        Set<String> programs = HostileArguments.ALLOWED_COMPILERS.stream().map(n -> bin.resolve(n).toString())
                .collect(Collectors.toSet());
        Path jobs = fastScratch();
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        List<Tally> tallies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
            List<Future<Tally>> futures = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int share = REQUESTS / WORKERS + (w < REQUESTS % WORKERS ? 1 : 0);
                Path tmp = Files.createDirectory(jobs.resolve("tmp-" + w));
                futures.add(pool.submit(new Worker(w, share, tmp, bin, masquerade, programs)::run));
            }
            for (Future<Tally> f : futures) {
                tallies.add(f.get());
            }
        } finally {
            deleteTree(jobs);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long retained = usedHeapAfterGc() - heapBefore;
        Tally total = Tally.sum(tallies);
        System.out.println(total.summary(elapsed, retained));

        assertThat(total.requests).isEqualTo(REQUESTS);
        assertThat(total.failures).as(total.failureReport()).isEmpty();
        assertThat(retained).as("heap retained after the run").isLessThan(RETAINED_HEAP_BOUND);
        assertThat(total.commands).as("jobs that reached the (fake) compiler").isGreaterThan(REQUESTS / 100);
    }

    /** One thread's share: its own handler, TMPDIR, runner, log and generator. */
    private record Worker(int index, int count, Path tmp, Path bin, Path masquerade, Set<String> programs) {
        Tally run() throws Exception {
            RecordingCommandRunner runner = new RecordingCommandRunner();
            RequestMemory memory = new RequestMemory(REQUEST_MEMORY);
            PrintableLines log = new PrintableLines();
            JobSettings settings = new JobSettings(tmp, Limits.DEFAULT, new MasqueradePolicy(masquerade),
                    ArgumentPolicy.standard(), masquerade + ":" + bin, masquerade, Map.of("HOME", "/nonexistent"), 0,
                    Duration.ZERO, false);
            JobHandler handler = new JobHandler(settings, new JobSlots(1), memory, runner, Clock.systemUTC(),
                    new Log(log, Level.INFO, 1));
            HostileRequests requests = new HostileRequests(SEED + index);
            Tally tally = new Tally();
            for (int i = 0; i < count; i++) {
                HostileRequests.Generated g = requests.next();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long t0 = System.nanoTime();
                JobReport report;
                try {
                    report = handler.serve(new ByteArrayInputStream(g.bytes()), out, "127.0.0.1:4000", () -> false);
                } catch (RuntimeException | Error e) {
                    tally.requests++;
                    tally.fail("serve threw " + e, index, i, g, null);
                    continue;
                }
                tally.slowestNanos = Math.max(tally.slowestNanos, System.nanoTime() - t0);
                tally.count(g.kind(), report.result());
                checkReply(g, out.toByteArray(), report, tally, i);
                checkCommands(runner.takeCommands(), g, tally, i);
                if (memory.used() != 0) {
                    tally.fail("request memory not given back: " + memory.used(), index, i, g, null);
                }
                if (!isEmpty(tmp)) {
                    tally.fail("files left in TMPDIR: " + listing(tmp), index, i, g, null);
                    deleteTree(tmp);
                    Files.createDirectory(tmp);
                }
                if (log.bad != null || !printable(report.summary("127.0.0.1:4000"))) {
                    tally.fail("log line not printable: " + log.bad, index, i, g, null);
                    log.bad = null;
                }
            }
            return tally;
        }

        private void checkReply(HostileRequests.Generated g, byte[] reply, JobReport report, Tally tally, int i) {
            boolean ran = report.result() == JobResult.COMPILE_OK || report.result() == JobResult.COMPILE_ERROR;
            if (reply.length == 0) {
                if (ran) {
                    tally.fail("no reply to a job reported as " + report.result(), index, i, g, null);
                }
                return;
            }
            try {
                ProtocolVersion version = ProtocolVersion.of(Long.parseLong(
                        new String(g.bytes(), 4, 8, StandardCharsets.US_ASCII), 16));
                ByteArrayInputStream in = new ByteArrayInputStream(reply);
                Response r = new ResponseReader(in, Limits.DEFAULT).read(version);
                if (in.available() != 0) {
                    tally.fail("bytes after the response", index, i, g, null);
                } else if (r.waitStatus() == 0 && !java.util.Arrays.equals(r.object(), RecordingCommandRunner.OBJECT)) {
                    tally.fail("status 0 without the compiler's object", index, i, g, null);
                } else if (!ran) {
                    tally.fail("a reply to a job reported as " + report.result(), index, i, g, null);
                }
            } catch (IOException | RuntimeException e) {
                tally.fail("malformed reply: " + e, index, i, g, null);
            }
        }

        private void checkCommands(List<Command> commands, HostileRequests.Generated g, Tally tally, int i) {
            for (Command c : commands) {
                tally.commands++;
                List<String> argv = c.argv();
                Path dir = c.directory();
                if (!programs.contains(argv.get(0))) {
                    tally.fail("ran " + argv.get(0), index, i, g, argv);
                }
                if (isPump(g)) {
                    checkPumpCommand(c, g, tally, i, tmp, index);
                    continue;
                }
                if (!tmp.equals(dir.getParent()) || !dir.toString().equals(c.environment().get("TMPDIR"))) {
                    tally.fail("ran outside a job directory: " + dir, index, i, g, argv);
                }
                List<String> inputs = argv.stream().filter(a -> a.startsWith(dir + "/input.")).toList();
                if (inputs.size() != 1) {
                    tally.fail("job input appears " + inputs.size() + " times", index, i, g, argv);
                    continue;
                }
                for (String v : GccFileAccess.violations(argv, inputs.get(0), dir.resolve("output.o").toString())) {
                    tally.fail(v.replace(dir.toString(), "$JOB"), index, i, g, argv);
                }
            }
        }
    }

    private static boolean isPump(HostileRequests.Generated g) {
        return g.bytes().length >= 12 && new String(g.bytes(), 0, 12, StandardCharsets.US_ASCII).equals("DIST00000003");
    }

    /**
     * A pump command runs in a directory below a fake root ({@code $TMPDIR/distccd_XXXXXX}) with its
     * own job directory as TMPDIR, writes its object and .d file only there (one -o, the last -MF), and
     * reads what the client sent (reading is pump mode's nature; GccFileAccess judges plain commands).
     */
    private static void checkPumpCommand(Command c, HostileRequests.Generated g, Tally tally, int i, Path tmp,
                                         int index) {
        List<String> argv = c.argv();
        Path dir = c.directory();
        Path job = Path.of(c.environment().getOrDefault("TMPDIR", "/"));
        boolean belowRoot = dir.startsWith(tmp) && tmp.relativize(dir).getNameCount() >= 1
                && tmp.relativize(dir).getName(0).toString().matches("distccd_[A-Za-z0-9]{6}");
        if (!belowRoot || !tmp.equals(job.getParent())) {
            tally.fail("pump job ran outside its fake root: " + dir, index, i, g, argv);
        }
        List<String> outputs = new ArrayList<>();
        for (int k = 1; k < argv.size(); k++) {
            if (argv.get(k).equals("-o")) {
                outputs.add(k + 1 < argv.size() ? argv.get(++k) : "");
            } else if (argv.get(k).startsWith("-o")) {
                outputs.add(argv.get(k).substring(2));
            }
        }
        int mf = argv.lastIndexOf("-MF");
        if (!outputs.equals(List.of(job.resolve("output.o").toString()))) {
            tally.fail("pump job output is not the job's own", index, i, g, argv);
        }
        if (mf < 0 || !argv.get(mf + 1).equals(job.resolve("output.d").toString()) || argv.indexOf("-MF") != mf
                || argv.stream().anyMatch(a -> a.startsWith("-MF") && a.length() > 3)) {
            tally.fail("pump job writes dependencies elsewhere", index, i, g, argv);
        }
    }

    /** Counts, the slowest request and the failures of one worker or all. */
    private static final class Tally {
        long requests;
        long commands;
        long slowestNanos;
        final Map<HostileRequests.Kind, Long> kinds = new EnumMap<>(HostileRequests.Kind.class);
        final Map<JobResult, Long> results = new EnumMap<>(JobResult.class);
        /** Failure reason (its first words) to count and first example. */
        final Map<String, Long> failures = new TreeMap<>();
        final List<String> examples = new ArrayList<>();

        void count(HostileRequests.Kind kind, JobResult result) {
            requests++;
            kinds.merge(kind, 1L, Long::sum);
            results.merge(result, 1L, Long::sum);
        }

        void fail(String reason, int worker, int index, HostileRequests.Generated g, List<String> argv) {
            String key = reason.length() > 90 ? reason.substring(0, 90) : reason;
            if (failures.merge(key, 1L, Long::sum) == 1 && examples.size() < EXAMPLES) {
                examples.add("worker " + worker + " request " + index + " (" + g.kind() + "): " + reason
                        + (argv == null ? "" : "\n    ran: " + argv) + "\n    request: " + printableBytes(g.bytes()));
            }
        }

        static Tally sum(List<Tally> tallies) {
            Tally t = new Tally();
            for (Tally x : tallies) {
                t.requests += x.requests;
                t.commands += x.commands;
                t.slowestNanos = Math.max(t.slowestNanos, x.slowestNanos);
                x.kinds.forEach((k, v) -> t.kinds.merge(k, v, Long::sum));
                x.results.forEach((k, v) -> t.results.merge(k, v, Long::sum));
                x.failures.forEach((k, v) -> t.failures.merge(k, v, Long::sum));
                t.examples.addAll(x.examples);
            }
            return t;
        }

        String summary(Duration elapsed, long retained) {
            return "HostileRequestFuzzTest: " + requests + " requests in " + elapsed.toMillis() + " ms on " + WORKERS
                    + " threads (seed " + SEED + "); kinds " + kinds + "; results " + results + "; " + commands
                    + " commands reached the compiler; slowest request " + slowestNanos / 1_000_000 + " ms; heap "
                    + "retained " + (retained >> 10) + " KiB; " + failures.values().stream().mapToLong(x -> x).sum()
                    + " failures";
        }

        String failureReport() {
            return failures.size() + " kinds of failure: " + failures + "\nexamples:\n" + String.join("\n", examples);
        }
    }

    /** A log sink that remembers a line with a control character in it. */
    private static final class PrintableLines extends OutputStream {
        volatile String bad;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int k = off; k < off + len; k++) {
                int c = b[k] & 0xff;
                boolean lineEnd = c == '\n' && k == off + len - 1;
                if ((c < 0x20 || c == 0x7f) && !lineEnd) {
                    bad = new String(b, off, len, StandardCharsets.UTF_8);
                }
            }
        }
    }

    private static boolean printable(String s) {
        return s.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printableBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length && i < 400; i++) {
            int c = bytes[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return bytes.length > 400 ? sb + "... (" + bytes.length + " bytes)" : sb.toString();
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 99\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A directory on tmpfs when there is one (job directories are made and removed a few hundred thousand times). */
    private Path fastScratch() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "jdistcc-fuzz-");
        }
        return Files.createDirectory(root.resolve("jobs"));
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList().toString();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
