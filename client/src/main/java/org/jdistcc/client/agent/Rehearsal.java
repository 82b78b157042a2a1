package org.jdistcc.client.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdistcc.client.DistccClient;
import org.jdistcc.client.Invocation;
import org.jdistcc.client.LocalCompiler;
import org.jdistcc.client.schedule.SlotLocks;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.RequestReader;
import org.jdistcc.protocol.Response;
import org.jdistcc.protocol.ResponseWriter;

/**
 * Warms the agent up before real jobs need it. A freshly started JVM interprets the client engine
 * for its first few hundred jobs, which costs a millisecond or more per job until the JIT has
 * compiled it (docs/agent.md, "Warm-up"). So the agent, once listening, runs a bounded number of
 * make-believe jobs through the whole engine: environment, argument scan, host list, slot locks,
 * the request with and without LZO over a real loopback connection, the response, the object
 * written beside its source. The host is a stand-in distccd on 127.0.0.1 that answers every job
 * with a fixed object; the preprocessor is a stand-in that writes a fixed source. No compiler runs,
 * nothing leaves the machine, and every file lives under {@code <agent dir>/rehearsal}, removed
 * before and after.
 */
final class Rehearsal implements Runnable {
    private static final byte[] OBJECT = fixedBytes(2_000);

    private final Path dir;
    private final int jobs;
    private final Duration budget;
    private final Clock clock;

    Rehearsal(Path agentDir, int jobs, Duration budget, Clock clock) {
        this.dir = agentDir.resolve("rehearsal");
        this.jobs = jobs;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant start = clock.instant();
        try {
            int done = perform();
            System.err.println("jdistcc agent: warm-up: " + done + " rehearsal jobs in "
                    + Duration.between(start, clock.instant()).toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            // only an optimisation: real jobs warm the JIT up just the same, only later
            System.err.println("jdistcc agent: warm-up stopped: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the rehearsal jobs; returns how many were compiled "remotely" (none fell back or failed). */
    int perform() throws IOException, InterruptedException {
        removeTree(dir);
        try {
            Path src = Files.createDirectories(dir.resolve("src"));
            Files.createDirectories(dir.resolve("distcc"));
            try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(10_000);
                Thread host = Thread.ofPlatform().daemon().name("agent-rehearsal-host").start(() -> answer(server));
                try {
                    return rehearse(server.getLocalPort(), src);
                } finally {
                    host.interrupt();
                }
            }
        } finally {
            removeTree(dir);
        }
    }

    private int rehearse(int port, Path src) throws InterruptedException {
        DistccClient client = new DistccClient((command, cancelled) -> {
            throw new IOException("a rehearsal runs no command");
        }, clock, ProcessHandle.current().pid(), SlotLocks.RELEASES);
        Map<String, String> common = Map.of(
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", dir.toString(),
                "DISTCC_DIR", dir.resolve("distcc").toString(),
                "DISTCC_FALLBACK", "0",
                "TMPDIR", dir.toString());
        Instant deadline = clock.instant().plus(budget);
        int succeeded = 0;
        for (int i = 0; i < jobs && clock.instant().isBefore(deadline); i++) {
            String input = "job" + (i % 4) + (i % 5 == 0 ? ".cpp" : ".c");
            Map<String, String> env = new HashMap<>(common);
            env.put("DISTCC_HOSTS", "127.0.0.1:" + port + "/2" + (i % 2 == 0 ? ",lzo" : ""));
            List<String> argv = List.of("distcc", i % 5 == 0 ? "g++" : "gcc", "-O2", "-DJOB=" + i, "-Iinclude",
                    "-c", input, "-o", "job" + (i % 4) + ".o");
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            Invocation inv = new Invocation(argv, src, env, sink, sink, 022, new StandIn());
            if (client.run(inv) == 0) {
                succeeded++;
            }
        }
        return succeeded;
    }

    /** The stand-in distccd: reads each request whole and answers it with {@link #OBJECT}. */
    private static void answer(ServerSocket server) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                Request request = new RequestReader(in, Limits.DEFAULT).read();
                OutputStream out = s.getOutputStream();
                new ResponseWriter(out).write(new Response(request.version(), 0, new byte[0], new byte[0], OBJECT, null));
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Where the caller would run commands: the preprocessor writes a fixed, realistic-looking source;
     * a local compile is never asked for (DISTCC_FALLBACK=0) and would only count as a failure.
     */
    private static final class StandIn implements LocalCompiler {
        private static final byte[] SOURCE = source();

        @Override
        public int run(List<String> argv, Map<String, String> env) {
            return 1 << 8;
        }

        @Override
        public int runInto(Path output, List<String> argv, Map<String, String> env) throws IOException {
            Files.write(output, SOURCE);
            return 0;
        }

        private static byte[] source() {
            StringBuilder sb = new StringBuilder("# 0 \"job.c\"\n");
            for (int i = 0; i < 600; i++) {
                sb.append("extern int function_").append(i).append("(const char *name, unsigned long size);\n");
            }
            return sb.toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] fixedBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 3));
        }
        return b;
    }

    private static void removeTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
