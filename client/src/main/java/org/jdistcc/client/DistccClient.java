package org.jdistcc.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jdistcc.client.hosts.BadHostSpecException;
import org.jdistcc.client.hosts.HostList;
import org.jdistcc.client.hosts.HostListSource;
import org.jdistcc.client.hosts.HostSpec;
import org.jdistcc.client.include.IncludeAnalyzer;
import org.jdistcc.client.schedule.Backoff;
import org.jdistcc.client.schedule.LockDirectory;
import org.jdistcc.client.schedule.Pause;
import org.jdistcc.client.schedule.SleepingPause;
import org.jdistcc.client.schedule.SlotLocks;
import org.jdistcc.client.schedule.SlotWaiter;
import org.jdistcc.client.state.JobRecorder;
import org.jdistcc.client.state.Monitoring;
import org.jdistcc.client.transport.HostConnector;
import org.jdistcc.client.transport.SshConnector;
import org.jdistcc.client.transport.TcpConnector;
import org.jdistcc.compiler.GnuHost;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Watchdog;

/**
 * The distcc client engine: one {@link Invocation} in, an exit status out. It reads nothing of its
 * own process: argv, directory, environment and streams come in the invocation, processes start
 * through the {@link CommandRunner}, time comes from the {@link Clock}. {@code DistccMain} runs it for
 * a command line; a resident agent can run many at once.
 */
public final class DistccClient {
    static final String VERSION = "3.4";

    private final CommandRunner runner;
    private final Clock clock;
    private final long pid;
    private final Pause pause;
    private final Monitoring monitoring;
    /** Pump mode's state, include analysis's cache with it: one for all the jobs this engine runs. */
    private final PumpMode pump;
    /** What gcc's driver runs to preprocess, learned from the jobs this engine runs. */
    private final DirectPreprocessor direct;

    public DistccClient(CommandRunner runner, Clock clock, long pid) {
        this(runner, clock, pid, new SleepingPause());
    }

    public DistccClient(CommandRunner runner, Clock clock, long pid, Pause pause) {
        this(runner, clock, pid, pause, Monitoring.forOneJob(clock));
    }

    /**
     * @param pause how a job waits when every slot is busy; a resident agent passes one that a
     *              released slot ends early
     * @param monitoring where jobs report their state (state files, fallback log, metrics)
     */
    public DistccClient(CommandRunner runner, Clock clock, long pid, Pause pause, Monitoring monitoring) {
        this.runner = runner;
        this.clock = clock;
        this.pid = pid;
        this.pause = pause;
        this.monitoring = monitoring;
        this.pump = new PumpMode(new IncludeAnalyzer(runner));
        this.direct = new DirectPreprocessor(runner, task -> Thread.ofVirtual().name("distcc-cpp-listing").start(task));
    }

    /** Runs one invocation to its end and returns distcc's exit status. */
    public int run(Invocation inv) throws InterruptedException {
        PrintStream out = new PrintStream(inv.stdout(), true, StandardCharsets.UTF_8);
        ClientSettings settings;
        try {
            settings = ClientSettings.from(inv.env());
        } catch (ClientException e) {
            // --help and --version still answer, as stock distcc's do: it reads DISTCC_IO_TIMEOUT at its
            // first network wait
            try {
                switch (ClientCommand.parse(inv.argv())) {
                    case ClientCommand.Help h -> {
                        out.print(help());
                        return 0;
                    }
                    case ClientCommand.Version v -> {
                        out.print(version());
                        return 0;
                    }
                    default -> { }
                }
            } catch (ClientException notEither) {
                // the settings' error is the one to report
            }
            new ClientLog(inv.stderr(), ClientLog.Level.WARNING, pid).error("dcc_get_io_timeout", e.getMessage());
            return e.exitCode().code();
        }
        try (ClientLog log = ClientLog.open(settings, inv.stderr(), pid)) {
            return run(inv, settings, log, out);
        }
    }

    private int run(Invocation inv, ClientSettings settings, ClientLog log, PrintStream out)
            throws InterruptedException {
        ClientCommand command;
        try {
            command = ClientCommand.parse(inv.argv());
        } catch (ClientException e) {
            PrintStream err = new PrintStream(inv.stderr(), true, StandardCharsets.UTF_8);
            err.println("distcc: " + e.getMessage());
            err.println("Try `distcc --help' for more information.");
            return e.exitCode().code();
        }
        return switch (command) {
            case ClientCommand.Help h -> {
                out.print(help());
                yield 0;
            }
            case ClientCommand.Version v -> {
                out.print(version());
                yield 0;
            }
            case ClientCommand.ShowHosts s -> showHosts(inv, log, out, false);
            case ClientCommand.Jobs j -> showHosts(inv, log, out, true);
            case ClientCommand.Compile c -> compile(inv, c, settings, log);
            case ClientCommand.ScanIncludes s -> pump.scanIncludes(s.argv(), inv, log, out);
        };
    }

    private int compile(Invocation inv, ClientCommand.Compile command, ClientSettings settings, ClientLog log)
            throws InterruptedException {
        Map<String, String> env = new HashMap<>(inv.env());
        int masquerade = 0;
        if (command.masquerade()) {
            Optional<String> path = CompilerNames.masqueradePath(inv.argv().get(0), env.getOrDefault("PATH", ""),
                    inv.cwd());
            if (path.isPresent()) {
                env.put("PATH", path.get());
                masquerade = 1;
            }
        }
        int level = safeguardLevel(env);
        if (level - masquerade > 0) {
            log.error("main", "distcc seems to have invoked itself recursively!");
            return ExitCode.RECURSION.code();
        }
        env.put("_DISTCC_SAFEGUARD", Integer.toString(level + 1));
        List<String> argv = command.argv();
        if (argv.get(0).startsWith("-")) {
            log.error("main", argv.get(0) + ": unrecognized distcc option");
            return ExitCode.BAD_ARGUMENTS.code();
        }
        if (settings.rewriteCross()) {
            argv = CompilerNames.rewriteCross(argv, env.getOrDefault("PATH", ""), inv.cwd());
        }
        LocalRun local = new LocalRun(log, direct);
        if (level > 0) {
            return local.run(argv, inv, env);
        }
        LockDirectory locks = LockDirectory.of(settings.distccDir(), settings.distccDirGiven());
        Backoff backoff = new Backoff(locks, settings.backoffPeriod(), clock);
        SlotWaiter waiter = new SlotWaiter(new SlotLocks(locks), backoff, pause, settings.pause(), clock);
        Watchdog watchdog = new Watchdog(settings.ioTimeout());
        RemoteJob remote = new RemoteJob(new HostConnector(new TcpConnector(settings.connectTimeout(), watchdog),
                new SshConnector(SshConnector.command(env), env, watchdog)));
        JobRecorder job = monitoring.start(inv.callerPid() > 0 ? inv.callerPid() : pid, settings.distccDir());
        boolean cancelled = false;
        try {
            return new Compilation(inv, env, settings, log, local, remote, waiter, backoff, pump).observedBy(job)
                    .run(argv, hosts(inv, log));
        } catch (InterruptedException e) {
            cancelled = true;
            throw e;
        } finally {
            monitoring.finish(job, cancelled);
        }
    }

    /** The host list, or empty (with the warning distcc gives) when there is none to use. */
    private Optional<HostList> hosts(Invocation inv, ClientLog log) {
        try {
            Optional<HostListSource> source = HostListSource.find(inv.env(), home(inv));
            if (source.isEmpty()) {
                log.warning("dcc_get_hostlist", "no hostlist is set; can't distribute work");
                return Optional.empty();
            }
            HostList hosts = source.get().parse();
            if (hosts.zeroconf()) {
                log.warning("dcc_get_hostlist", "+zeroconf is not supported yet; using the other hosts");
            }
            return Optional.of(hosts.randomize() ? hosts.shuffled(new Random()) : hosts);
        } catch (BadHostSpecException e) {
            log.warning("dcc_parse_hosts", e.getMessage());
        } catch (IOException e) {
            log.warning("dcc_get_hostlist", "cannot read the host list: " + e.getMessage());
        }
        return Optional.empty();
    }

    private int showHosts(Invocation inv, ClientLog log, PrintStream out, boolean jobs) {
        try {
            Optional<HostListSource> source = HostListSource.find(inv.env(), home(inv));
            if (source.isEmpty()) {
                log.warning("dcc_get_hostlist", "no hostlist is set");
                return ExitCode.NO_HOSTS.code();
            }
            HostList hosts = source.get().parse();
            if (jobs) {
                out.println(hosts.totalSlots());
            } else {
                hosts.hosts().stream().map(HostSpec::token).forEach(out::println);
            }
            return 0;
        } catch (BadHostSpecException e) {
            log.error("dcc_parse_hosts", e.getMessage());
            return e.exitCode().code();
        } catch (IOException e) {
            log.error("dcc_get_hostlist", e.getMessage());
            return ExitCode.BAD_HOSTSPEC.code();
        }
    }

    private static Path home(Invocation inv) {
        return Path.of(inv.env().getOrDefault("HOME", "/"));
    }

    private static int safeguardLevel(Map<String, String> env) {
        try {
            return Math.max(0, Integer.parseInt(env.getOrDefault("_DISTCC_SAFEGUARD", "0").trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String help() {
        return version() + "\n" + usage();
    }

    static String version() {
        return "distcc " + VERSION + " " + GnuHost.triple() + "\n"
                + "  (protocols 1, 2 and 3) (default port 3632)\n"
                + "  jdistcc, Java " + Runtime.version().feature() + "\n";
    }

    static String usage() {
        return """
                Usage:
                   distcc [--scan-includes] [COMPILER] [compile options] -o OBJECT -c SOURCE
                   distcc [--help|--version|--show-hosts|-j]

                Options:
                   COMPILER                   defaults to "cc"
                   --help                     explain usage and exit
                   --version                  show version and exit
                   --show-hosts               show host list and exit
                   -j                         calculate the concurrency level from
                                              the host list.
                   --scan-includes            list the files pump mode would send for
                                              the compile that follows, and stop.

                Environment variables:
                   See the manual page for a complete list.
                   DISTCC_VERBOSE=1           give debug messages
                   DISTCC_LOG                 send messages to file, not stderr
                   DISTCC_SSH                 command to run to open SSH connections
                   DISTCC_DIR                 directory for host list and locks
                   DISTCC_FALLBACK=0          never compile locally after a distribution failure
                   DISTCC_SKIP_LOCAL_RETRY    do not recompile locally after a remote compile error
                   DISTCC_BACKOFF_PERIOD      seconds to avoid a failed host (default 60)
                   DISTCC_IO_TIMEOUT          seconds any network wait may last (default 300)
                   DISTCC_CONNECT_TIMEOUT     seconds to wait for a connection (default 4)
                   DISTCC_MAX_DISCREPANCY     pump-mode failures before plain mode (default 1)

                Server specification:
                A list of servers is taken from the environment variable $DISTCC_HOSTS, or
                $DISTCC_DIR/hosts, or ~/.distcc/hosts, or /etc/distcc/hosts. Each is:
                   localhost                  run in place
                   HOST                       TCP connection, port 3632
                   HOST:PORT                  TCP connection, specified port
                   @HOST                      SSH connection to specified host
                   USER@HOST                  SSH connection to specified host
                   --randomize                Randomize the server list before execution
                   --localslots=N             local jobs at once (default 4)
                   --localslots_cpp=N         local preprocessing at once (default 8)
                Each host may be followed by:
                   /LIMIT                     slots on that host (default 4, localhost 2)
                   ,lzo                       compress the job both ways
                   ,cpp                       pump mode (needs ,lzo)
                   ,down                      never use this host

                distcc distributes compilation jobs across volunteer machines running
                distccd.  Jobs that cannot be distributed, such as linking, are run locally.
                """;
    }
}
