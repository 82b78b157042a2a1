package org.jdistcc.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.Limits;
import org.jdistcc.server.access.AddressLiteral;
import org.jdistcc.server.access.AllowList;
import org.jdistcc.server.access.ArgumentPolicy;
import org.jdistcc.server.access.CidrMask;
import org.jdistcc.server.access.CmdListPolicy;
import org.jdistcc.server.access.CompilerPolicy;
import org.jdistcc.server.access.InsecureAnyCompilerPolicy;
import org.jdistcc.server.access.MasqueradePolicy;
import org.jdistcc.server.job.JobSettings;
import org.jdistcc.server.log.Log;
import org.jdistcc.server.log.Level;

/**
 * distccd's checked configuration: the options and the environment, validated once at start-up with
 * distccd's exit codes for what is wrong. Pure: it reads only the files it is told about (the
 * DISTCC_CMDLIST file) and checks that the masquerade directory exists.
 *
 * @param statsPort the {@code --stats} port, or -1 when the stats page is off
 * @param warnings what the operator should hear about but is not fatal, to log once the log is open
 */
record ServerConfig(boolean inetd, boolean detach, AllowList allowList, boolean allowListGiven, InetAddress listen,
                    int port, int jobs, Duration ioTimeout, Duration lifetime, Path pidFile, Path logFile,
                    boolean logStderr, Level logLevel, JobSettings jobSettings, int statsPort,
                    List<String> warnings) {

    static final String NO_ALLOW = "--allow is required: name the clients that may run code on this machine "
            + "(for example --allow 192.168.1.0/24), or pass --allow-private for loopback and the private networks";

    /**
     * Checks the options against the environment.
     *
     * @param inProcess whether the server runs inside another program (a test), where port 0 means
     *                  an ephemeral port
     */
    static ServerConfig from(DistccdOptions o, Map<String, String> env, boolean stdinIsSocket, int cpus,
                             boolean inProcess) throws StartupException {
        List<String> warnings = new ArrayList<>();
        if (o.wizard) {
            o.daemon = true;
            o.noDetach = true;
            o.logStderr = true;
            o.verbose = true;
        }
        boolean inetd = o.inetd || (!o.daemon && stdinIsSocket);
        if ((o.port < 1 && !(inProcess && o.port == 0)) || o.port > 65535) {
            throw bad("port number out of range: " + o.port);
        }
        if (o.stats && ((o.statsPort < 1 && !(inProcess && o.statsPort == 0)) || o.statsPort > 65535)) {
            throw bad("stats port number out of range: " + o.statsPort);
        }
        int jobs = o.jobs == null ? cpus + 2 : o.jobs;
        if (jobs < 1 || jobs > 1000) {
            throw bad("--jobs must be between 1 and 1000: " + jobs);
        }
        if (o.jobLifetime < 0 || o.lifetime < 0) {
            throw bad("lifetimes cannot be negative");
        }
        List<CidrMask> masks = new ArrayList<>();
        for (String spec : o.allow) {
            try {
                masks.add(CidrMask.parse(spec));
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }
        if (o.allowPrivate) {
            masks.addAll(AllowList.privateRanges());
        }
        boolean allowGiven = !masks.isEmpty();
        if (!inetd && !allowGiven) {
            throw bad(NO_ALLOW);
        }
        InetAddress listen = null;
        if (o.listen != null) {
            try {
                listen = AddressLiteral.parse(o.listen);
            } catch (IllegalArgumentException e) {
                throw bad("--listen takes a numeric address: " + o.listen);
            }
        }
        Level level = Level.NOTICE;
        if (o.verbose) {
            level = Level.DEBUG;
        } else if (o.logLevel != null) {
            level = Level.parse(o.logLevel).orElse(Level.NOTICE);
            if (Level.parse(o.logLevel).isEmpty()) {
                warnings.add("invalid --log-level \"" + o.logLevel + "\"; using notice");
            }
        }
        if (o.zeroconf) {
            warnings.add("--zeroconf is not supported by jdistcc; not registering with mDNS");
        }
        if (o.stats && inetd) {
            warnings.add("--stats applies to the daemon only; with --inetd there is no statistics page");
        }
        Path tmp = Path.of(nonEmpty(env.get("TMPDIR"), "/tmp"));
        String path = nonEmpty(env.get("DISTCCD_PATH"), nonEmpty(env.get("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        JobSettings settings = new JobSettings(tmp, Limits.DEFAULT, compilerPolicy(o, env, warnings),
                ArgumentPolicy.standard(), path, o.masqueradeDir, env, niceForCompilers(o, env),
                Duration.ofSeconds(o.jobLifetime), "1".equals(env.get("DISTCC_SAVE_TEMPS")));
        return new ServerConfig(inetd, !o.noDetach && !inetd, AllowList.of(masks), allowGiven, listen, o.port, jobs,
                ioTimeout(env), Duration.ofSeconds(o.lifetime), o.pidFile, o.logFile, o.logStderr, level, settings,
                o.stats && !inetd ? o.statsPort : -1, List.copyOf(warnings));
    }

    private static CompilerPolicy compilerPolicy(DistccdOptions o, Map<String, String> env, List<String> warnings)
            throws StartupException {
        CompilerPolicy policy;
        try {
            policy = CompilerPolicy.select(env, o.enableTcpInsecure, o.masqueradeDir);
        } catch (IOException e) {
            throw bad("cannot read " + CmdListPolicy.FILE_VARIABLE + ": " + Log.describe(e));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        switch (policy) {
            case InsecureAnyCompilerPolicy p ->
                    warnings.add("--enable-tcp-insecure: any client allowed to connect may run any program as this user");
            case MasqueradePolicy p when !Files.isDirectory(p.directory()) ->
                    throw new StartupException(ExitCode.COMPILER_MISSING, "You must set up masquerade (see distcc(1)) in "
                            + p.directory() + " to list allowed compilers or pass --enable-tcp-insecure. To set up "
                            + "masquerade automatically run update-distcc-symlinks.");
            default -> { }
        }
        return policy;
    }

    /**
     * The niceness compilers are started with: none when bin/distccd already started the whole
     * daemon at {@code --nice} (its compilers inherit it), else {@code --nice} itself.
     */
    private static int niceForCompilers(DistccdOptions o, Map<String, String> env) {
        return Integer.toString(o.nice).equals(env.get("JDISTCC_NICE_APPLIED")) ? 0 : Math.max(o.nice, 0);
    }

    private static Duration ioTimeout(Map<String, String> env) throws StartupException {
        String v = env.get("DISTCC_IO_TIMEOUT");
        if (v == null || v.isEmpty()) {
            return Duration.ofSeconds(300);
        }
        try {
            int seconds = Integer.parseInt(v.trim());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad("DISTCC_IO_TIMEOUT must be a positive number of seconds: \"" + v + "\"");
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static StartupException bad(String message) {
        return new StartupException(ExitCode.BAD_ARGUMENTS, message);
    }
}
