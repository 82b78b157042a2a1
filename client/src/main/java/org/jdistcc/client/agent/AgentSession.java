package org.jdistcc.client.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdistcc.client.DistccClient;
import org.jdistcc.client.Invocation;
import org.jdistcc.protocol.Limits;
import org.jdistcc.protocol.PacketReader;
import org.jdistcc.protocol.PacketWriter;
import org.jdistcc.protocol.ProtocolException;
import org.jdistcc.protocol.Token;

/**
 * One front-end connection: read the invocation, say whether this agent takes it (HELO), run the
 * engine with the caller's stdout and stderr relayed as packets and local commands run by the
 * front-end, and end with EXIT. If the front-end goes away (Ctrl-C, make killing the job), the job
 * thread is interrupted, which kills its preprocessor and abandons its remote job.
 */
final class AgentSession {
    /** Agent protocol version, checked in JDAG. */
    static final int PROTOCOL = 1;
    /** The environment variables the engine takes as paths. */
    private static final List<String> PATH_VARIABLES = List.of("DISTCC_DIR", "TMPDIR", "DISTCC_LOG", "HOME");
    private static final Limits LIMITS = new Limits(65_536, 1 << 20, 64L << 20, 0, 64 << 20);

    private final SocketChannel channel;
    private final DistccClient client;
    private final String build;
    private final Runnable retire;

    AgentSession(SocketChannel channel, DistccClient client, String build, Runnable retire) {
        this.channel = channel;
        this.client = client;
        this.build = build;
        this.retire = retire;
    }

    void serve() throws IOException, InterruptedException {
        InputStream rawIn = Channels.newInputStream(channel);
        PacketReader in = new PacketReader(new BufferedInputStream(rawIn), LIMITS);
        OutputStream rawOut = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        PacketWriter out = new PacketWriter(rawOut);
        if (in.expect(Token.JDAG) != PROTOCOL) {
            throw new ProtocolException("JDAG: front-end speaks another agent protocol");
        }
        boolean sameBuild = build.equals(in.readString(Token.BILD));
        Path cwd = Path.of(in.readString(Token.CDIR));
        int umask = (int) in.expect(Token.UMSK);
        List<String> argv = strings(in, Token.ARGC, Token.ARGV);
        Map<String, String> env = environment(strings(in, Token.ENVC, Token.ENVV), cwd);
        // read only from a front-end of this build: one of another build may not send it
        long callerPid = sameBuild ? in.expect(Token.CPID) : 0;
        synchronized (out) {
            out.header(Token.HELO, sameBuild ? 1 : 0);
            out.flush();
        }
        if (!sameBuild) {
            retire.run();
            return;
        }
        FrontEndStream stdout = new FrontEndStream(out, Token.SOUT);
        FrontEndStream stderr = new FrontEndStream(out, Token.SERR);
        BlockingQueue<Long> statuses = new ArrayBlockingQueue<>(4);
        AtomicBoolean done = new AtomicBoolean();
        Thread job = Thread.currentThread();
        Thread.ofVirtual().name("agent-front-end-reader").start(() -> readStatuses(in, statuses, done, job));
        Invocation inv = new Invocation(argv, cwd, env, stdout, stderr, umask & 0777, new FrontEndRun(out, statuses),
                callerPid);
        int status = client.run(inv);
        done.set(true);
        stdout.flush();
        stderr.flush();
        synchronized (out) {
            out.header(Token.EXIT, status);
            out.flush();
        }
    }

    /**
     * The only reader once the invocation is in: STAT answers go to the job; the end of the stream
     * while the job runs means the front-end is gone, so the job is interrupted.
     */
    private static void readStatuses(PacketReader in, BlockingQueue<Long> statuses, AtomicBoolean done, Thread job) {
        try {
            while (true) {
                statuses.put(in.expect(Token.STAT));
            }
        } catch (IOException | InterruptedException e) {
            if (!done.get()) {
                job.interrupt();
            }
            statuses.offer(-1L);
        }
    }

    private static List<String> strings(PacketReader in, Token count, Token item) throws IOException {
        int n = in.expectCount(count, LIMITS.maxArgc());
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readString(item));
        }
        return values;
    }

    /**
     * The caller's environment, the first of a name winning as with getenv. The variables the engine
     * reads as paths are made absolute against the caller's directory: a relative one means the
     * caller's, and the engine, which runs here, would take it as the agent's.
     */
    private static Map<String, String> environment(List<String> entries, Path cwd) {
        Map<String, String> env = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        for (String name : PATH_VARIABLES) {
            env.computeIfPresent(name, (n, v) -> v.isEmpty() ? v : cwd.resolve(v).toString());
        }
        return env;
    }
}
