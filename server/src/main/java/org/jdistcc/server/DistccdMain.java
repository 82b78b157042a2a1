package org.jdistcc.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.server.daemon.Daemonizer;
import org.jdistcc.server.daemon.PidFile;
import org.jdistcc.server.log.Log;
import picocli.CommandLine;

/**
 * The {@code distccd} command. The only class of the server that reads the environment, exits the
 * process or wires the object graph; everything it builds receives what it needs.
 */
public final class DistccdMain {
    private DistccdMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        System.exit(status);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        DistccdOptions options;
        try {
            options = DistccdOptions.parse(args);
        } catch (CommandLine.UnmatchedArgumentException e) {
            err.println("distccd: ERROR: " + e.getUnmatched().get(0) + ": unknown option");
            return ExitCode.BAD_ARGUMENTS.code();
        } catch (CommandLine.ParameterException e) {
            err.println("distccd: ERROR: " + e.getMessage());
            return ExitCode.BAD_ARGUMENTS.code();
        }
        if (options.help) {
            out.print(Version.banner() + "\n" + Version.usage());
            return 0;
        }
        if (options.version) {
            out.print(Version.banner());
            return 0;
        }
        try {
            return serve(options, env, err);
        } catch (StartupException e) {
            err.println("distccd: ERROR: " + e.getMessage());
            return e.exitCode().code();
        } catch (InterruptedException e) {
            return ExitCode.DISTCC_FAILED.code();
        } catch (IOException e) {
            err.println("distccd: ERROR: " + Log.describe(e));
            return ExitCode.classify(e).code();
        }
    }

    private static int serve(DistccdOptions options, Map<String, String> env, PrintStream err)
            throws StartupException, IOException, InterruptedException {
        if (Privileges.isRoot(Path.of("/proc/self/status"))) {
            throw new StartupException(ExitCode.SETUID_FAILED, "refusing to run as root: start distccd through "
                    + "bin/distccd, which drops to --user, else 'distcc', else 'nobody' before the JVM starts");
        }
        Channel inherited = System.inheritedChannel();
        ServerConfig config = ServerConfig.from(options, env, inherited instanceof SocketChannel,
                Runtime.getRuntime().availableProcessors(), false);
        if (config.detach() && !Daemonizer.isDetachedChild(env)) {
            return Daemonizer.detach(env);
        }
        Log log = openLog(config, err);
        config.warnings().forEach(w -> log.warning("dcc_daemon", w));
        if (options.user != null && !"1".equals(env.get("JDISTCC_PRIVILEGES_DROPPED"))) {
            log.warning("dcc_discard_root", "--user is ignored unless distccd is started as root");
        }
        if (config.inetd()) {
            DistccdServer.serveInetd(config, inherited, log);
            return 0;
        }
        return listen(config, log, env);
    }

    private static int listen(ServerConfig config, Log log, Map<String, String> env)
            throws IOException, InterruptedException {
        DistccdServer server;
        try {
            server = DistccdServer.start(config, log, report -> { });
        } catch (StartupException e) {
            log.error("dcc_socket_listen", e.getMessage());
            System.err.println("distccd: ERROR: " + e.getMessage());
            return e.exitCode().code();
        }
        PidFile pid = config.pidFile() == null ? null : PidFile.write(config.pidFile(), ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (pid != null) {
                pid.remove();
            }
        }, "distccd-shutdown"));
        log.notice("dcc_listen_by_addr", "jdistcc distccd " + Version.DISTCC_VERSION + " listening on "
                + describe(config.listen()) + ":" + server.port() + " with " + config.jobs() + " job slots; allowing "
                + config.allowList() + (server.statsPort() < 0 ? "" : "; statistics on port " + server.statsPort()));
        if (Daemonizer.isDetachedChild(env)) {
            Daemonizer.reportReady();
        }
        if (!config.lifetime().isZero()) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(config.lifetime().toMillis());
                    log.notice("dcc_daemon", "--lifetime of " + config.lifetime().toSeconds() + "s is over; exiting");
                    System.exit(0);
                } catch (InterruptedException ignored) {
                    // the daemon is going down anyway
                }
            });
        }
        server.awaitClose();
        return 0;
    }

    private static String describe(InetAddress listen) {
        return listen == null ? "*" : listen.getHostAddress();
    }

    private static Log openLog(ServerConfig config, PrintStream err) {
        if (config.logFile() != null) {
            try {
                return Log.toFile(config.logFile(), config.logLevel());
            } catch (IOException e) {
                err.println("distccd: WARNING: failed to open log file " + Log.describe(e));
            }
        }
        if (config.logStderr() || config.logFile() != null) {
            return Log.toStderr(config.logLevel());
        }
        Log syslog = Log.toSyslog(config.logLevel());
        return syslog != null ? syslog : Log.toStderr(config.logLevel());
    }
}
