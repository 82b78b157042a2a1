package org.jdistcc.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * distccd's command line, spelled as distccd 3.4 spells it (reference §5.1), plus jdistcc's
 * {@code --masquerade-dir}. Fields only: {@link ServerConfig} turns them into a checked configuration.
 */
@Command(name = "distccd", sortOptions = false, usageHelpAutoWidth = false)
final class DistccdOptions {
    /**
     * Parses distccd's arguments. As with distccd's popt, an option given twice takes its last value.
     *
     * @throws CommandLine.ParameterException for an unknown option or a bad value
     */
    static DistccdOptions parse(String... args) {
        DistccdOptions options = new DistccdOptions();
        new CommandLine(options).setOverwrittenOptionsAllowed(true).setUnmatchedOptionsArePositionalParams(false)
                .parseArgs(args);
        return options;
    }

    @Option(names = "--help", description = "explain usage and exit")
    boolean help;

    @Option(names = "--version", description = "show version and exit")
    boolean version;

    @Option(names = {"-P", "--pid-file"}, paramLabel = "FILE", description = "save daemon process id to file")
    Path pidFile;

    @Option(names = {"-N", "--nice"}, paramLabel = "LEVEL", description = "lower priority, 20=most nice")
    int nice = 5;

    @Option(names = "--user", paramLabel = "USER", description = "if run by root, change to this persona")
    String user;

    @Option(names = {"-j", "--jobs"}, paramLabel = "LIMIT", description = "maximum tasks at any time")
    Integer jobs;

    @Option(names = "--job-lifetime", paramLabel = "SECONDS", description = "maximum lifetime of a compile request")
    int jobLifetime;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port to listen on")
    int port = 3632;

    @Option(names = "--listen", paramLabel = "ADDRESS", description = "IP address to listen on")
    String listen;

    @Option(names = {"-a", "--allow"}, paramLabel = "IP[/BITS]", description = "client address access control")
    List<String> allow = new ArrayList<>();

    @Option(names = "--allow-private", description = "allow the private networks and loopback")
    boolean allowPrivate;

    @Option(names = "--stats", description = "serve statistics on --stats-port: distccd's page, Prometheus at /metrics")
    boolean stats;

    @Option(names = "--stats-port", paramLabel = "PORT", description = "TCP port to listen on for statistics requests")
    int statsPort = 3633;

    @Option(names = "--zeroconf", description = "register via mDNS/DNS-SD (not supported by jdistcc)")
    boolean zeroconf;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "set detail level for log file")
    String logLevel;

    @Option(names = "--verbose", description = "set log level to \"debug\"")
    boolean verbose;

    @Option(names = "--no-detach", description = "don't detach from parent (for daemontools, etc)")
    boolean noDetach;

    @Option(names = "--log-file", paramLabel = "FILE", description = "send messages here instead of syslog")
    Path logFile;

    @Option(names = "--log-stderr", description = "send messages to stderr")
    boolean logStderr;

    @Option(names = {"-W", "--wizard"}, description = "for running under a debugger")
    boolean wizard;

    @Option(names = "--no-fork", hidden = true, description = "accepted for compatibility; jdistcc never forks")
    boolean noFork;

    @Option(names = "--inetd", description = "serve client connected to stdin")
    boolean inetd;

    @Option(names = "--daemon", description = "bind and listen on socket")
    boolean daemon;

    @Option(names = {"--enable-tcp-insecure", "--make-me-a-botnet"},
            description = "run any compiler a client names (turns the allow-list off)")
    boolean enableTcpInsecure;

    @Option(names = "--masquerade-dir", paramLabel = "DIR",
            description = "compiler allow-list directory (default /usr/lib/distcc)")
    Path masqueradeDir = Path.of("/usr/lib/distcc");

    @Option(names = "--lifetime", hidden = true, paramLabel = "SECONDS")
    int lifetime;

    @Option(names = "--no-fifo", hidden = true)
    boolean noFifo;
}
