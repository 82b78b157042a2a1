package org.jdistcc.server;

import java.io.IOException;
import java.nio.channels.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.ProcessCommandRunner;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.server.daemon.InetdConnection;
import org.jdistcc.server.daemon.TcpListener;
import org.jdistcc.protocol.Watchdog;
import org.jdistcc.server.job.JobHandler;
import org.jdistcc.server.job.JobReport;
import org.jdistcc.server.job.JobSlots;
import org.jdistcc.server.job.RequestMemory;
import org.jdistcc.server.log.Log;
import org.jdistcc.server.stats.ServerStats;
import org.jdistcc.server.stats.StatsServer;
import org.jdistcc.server.stats.SystemFigures;
import picocli.CommandLine;

/**
 * A running distccd listener, configured with distccd's own options. {@link DistccdMain} starts one
 * for the daemon; tests start one in-process, where {@code --port 0} picks an ephemeral port. Closing
 * it stops accepting, kills running compilers and removes their temporary files.
 */
public final class DistccdServer implements AutoCloseable {
    /** How long a stats connection may take to send its request before it gets distccd's page. */
    private static final Duration STATS_REQUEST_WAIT = Duration.ofSeconds(1);

    private final TcpListener listener;
    private final StatsServer statsServer;
    private final ServerStats stats;
    private final ServerConfig config;

    private DistccdServer(TcpListener listener, StatsServer statsServer, ServerStats stats, ServerConfig config) {
        this.listener = listener;
        this.statsServer = statsServer;
        this.stats = stats;
        this.config = config;
    }

    /**
     * Starts listening in this process.
     *
     * @param args    distccd options; {@code --daemon}, {@code --inetd} and detaching do not apply here
     * @param env     the environment the daemon and its compilers see
     * @param reports receives one report per finished connection
     * @throws StartupException for a configuration distccd would refuse, with its exit code
     */
    public static DistccdServer start(List<String> args, Map<String, String> env, Log log,
                                      Consumer<JobReport> reports) throws StartupException {
        DistccdOptions options;
        try {
            options = DistccdOptions.parse(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new StartupException(ExitCode.BAD_ARGUMENTS, e.getMessage());
        }
        options.daemon = true;
        options.noDetach = true;
        return start(ServerConfig.from(options, env, false, Runtime.getRuntime().availableProcessors(), true), log,
                reports);
    }

    static DistccdServer start(ServerConfig config, Log log, Consumer<JobReport> reports) throws StartupException {
        Watchdog watchdog = new Watchdog(config.ioTimeout());
        JobSlots slots = new JobSlots(config.jobs());
        ServerStats stats = new ServerStats(Clock.systemUTC(), config.jobs(), slots::busy,
                SystemFigures.of(config.jobSettings().tmpDir()));
        JobHandler handler = new JobHandler(config.jobSettings(), slots, RequestMemory.halfTheHeap(),
                new ProcessCommandRunner(), Clock.systemUTC(), log, stats);
        TcpListener listener;
        try {
            listener = TcpListener.start(config.listen(), config.port(), config.allowList(), handler, watchdog, log,
                    reports, stats, maxConnections(config.jobs()));
        } catch (IOException e) {
            throw bindFailed(config, config.port(), e);
        }
        StatsServer statsServer = null;
        if (config.statsPort() >= 0) {
            try {
                statsServer = StatsServer.start(config.listen(), config.statsPort(), config.allowList(),
                        () -> stats.page().render(), stats::metrics, STATS_REQUEST_WAIT, log);
            } catch (IOException e) {
                listener.close();
                throw bindFailed(config, config.statsPort(), e);
            }
        }
        return new DistccdServer(listener, statsServer, stats, config);
    }

    private static StartupException bindFailed(ServerConfig config, int port, IOException e) {
        String where = config.listen() == null ? "*" : config.listen().getHostAddress();
        return new StartupException(ExitCode.BIND_FAILED, "failed to bind " + where + ":" + port + ": " + e.getMessage());
    }

    /** Serves the one job of an inetd or SSH connection on stdin and stdout. */
    static void serveInetd(ServerConfig config, Channel inherited, Log log) throws IOException, InterruptedException {
        InetdConnection.serve(inherited, config.allowList(), handler(config, log, new ProcessCommandRunner()),
                new Watchdog(config.ioTimeout()), log, () -> {
                    log.error("dcc_inetd", "I/O timeout after " + config.ioTimeout().toSeconds() + "s; exiting");
                    Runtime.getRuntime().halt(ExitCode.IO_ERROR.code());
                });
    }

    /**
     * Connections open at once. Memory is bounded by the request budget and threads are virtual, so
     * this is generous: clients that connect and stay silent each hold one until the I/O timeout,
     * and only more of them than this make a new client wait in the listen backlog.
     */
    public static int maxConnections(int jobs) {
        return Math.max(256, 4 * jobs);
    }

    private static JobHandler handler(ServerConfig config, Log log, CommandRunner runner) {
        return new JobHandler(config.jobSettings(), new JobSlots(config.jobs()), RequestMemory.halfTheHeap(), runner,
                Clock.systemUTC(), log);
    }

    public int port() {
        return listener.port();
    }

    /** The port of the {@code --stats} page, or -1 without {@code --stats}. */
    public int statsPort() {
        return statsServer == null ? -1 : statsServer.port();
    }

    /** What this server has counted, the figures of its stats and metrics pages. */
    public ServerStats stats() {
        return stats;
    }

    int jobs() {
        return config.jobs();
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        listener.awaitClose();
    }

    @Override
    public void close() {
        if (statsServer != null) {
            statsServer.close();
        }
        listener.close();
    }
}
