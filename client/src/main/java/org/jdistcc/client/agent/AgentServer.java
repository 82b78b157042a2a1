package org.jdistcc.client.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdistcc.client.DistccClient;

/**
 * The agent's socket ({@code $DISTCC_DIR/agent/socket}) and its life: a session per connection on
 * a virtual thread; exit after {@code idle} without a job; retire when a front-end of another build
 * calls (stop listening at once, so the front-end can start the new agent, and exit once the jobs in
 * flight are done).
 */
final class AgentServer {
    /**
     * The longest socket path the JDK binds: sun_path is 108 bytes with the terminating NUL, but the JDK
     * refuses a 107-byte path ("Unix domain path too long"; the front-end's connect takes it).
     */
    private static final int MAX_SOCKET_PATH = 106;

    private final Path dir;
    private final String build;
    private final DistccClient client;
    private final Duration idle;
    private final Clock clock;
    private final AtomicInteger active = new AtomicInteger();
    private volatile Instant lastActivity;
    private volatile boolean retiring;
    private ServerSocketChannel server;

    AgentServer(Path dir, String build, DistccClient client, Duration idle, Clock clock) {
        this.dir = dir;
        this.build = build;
        this.client = client;
        this.idle = idle;
        this.clock = clock;
        this.lastActivity = clock.instant();
    }

    Path socket() {
        return dir.resolve("socket");
    }

    /**
     * The socket's address: its path, or, when that is longer than the JDK binds
     * ({@link #MAX_SOCKET_PATH}: a deep {@code DISTCC_DIR}), its name relative to the working directory, which the
     * front-end makes this agent's directory (the front-end then connects through
     * {@code /proc/self/fd/N/socket}).
     */
    UnixDomainSocketAddress address() throws IOException {
        if (socket().toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return UnixDomainSocketAddress.of(socket());
        }
        Path cwd = Path.of("").toAbsolutePath();
        if (!Files.isSameFile(cwd, dir)) {
            throw new IOException(socket() + " is too long for a socket address, and the working directory " + cwd
                    + " is not " + dir);
        }
        return UnixDomainSocketAddress.of(Path.of(socket().getFileName().toString()));
    }

    /**
     * Binds the socket. False if another live agent holds it (that one serves; this one exits). A
     * socket file nobody answers on is left over from a dead agent and is replaced.
     */
    boolean bind() throws IOException {
        UnixDomainSocketAddress address = address();
        if (Files.exists(socket())) {
            try (SocketChannel probe = SocketChannel.open(address)) {
                log("agent " + ProcessHandle.current().pid() + " of build " + build
                        + " not started: another agent serves " + socket());
                return false;
            } catch (IOException stale) {
                Files.deleteIfExists(socket());
            }
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        log("agent " + ProcessHandle.current().pid() + " of build " + build + " listening on " + socket());
        return true;
    }

    /** Serves until idle or retired. */
    void serve() throws InterruptedException {
        Thread.ofPlatform().daemon().name("agent-idle").start(this::watchIdle);
        while (!retiring) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (!retiring) {
                    log("accept failed: " + e);
                }
                break;
            }
            active.incrementAndGet();
            Thread.ofVirtual().name("agent-job").start(() -> session(channel));
        }
        while (active.get() > 0) {
            Thread.sleep(50);
        }
        log("agent " + ProcessHandle.current().pid() + " exiting");
    }

    private void session(SocketChannel channel) {
        try (channel) {
            new AgentSession(channel, client, build, this::retire).serve();
        } catch (IOException e) {
            log("job ended early: " + e.getMessage());
        } catch (InterruptedException e) {
            log("job cancelled: the front-end went away");
        } catch (RuntimeException e) {
            log("job failed: " + e);
        } finally {
            lastActivity = clock.instant();
            active.decrementAndGet();
        }
    }

    /** Stops listening and removes the socket, so that a new agent can take its place. */
    void retire() {
        if (retiring) {
            return;
        }
        retiring = true;
        log("a front-end of another build called; retiring");
        try {
            Files.deleteIfExists(socket());
            server.close();
        } catch (IOException e) {
            log("closing the socket failed: " + e);
        }
    }

    private void watchIdle() {
        while (!retiring) {
            try {
                Thread.sleep(Math.min(5_000, Math.max(100, idle.toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            if (active.get() == 0 && Duration.between(lastActivity, clock.instant()).compareTo(idle) > 0) {
                log("idle for " + idle.toSeconds() + " s");
                retire();
            }
        }
    }

    void log(String message) {
        String line = Instant.now(clock) + " " + message + "\n";
        try {
            Files.writeString(dir.resolve("agent.log"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is a courtesy
        }
    }
}
