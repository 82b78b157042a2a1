package org.jdistcc.server;

import org.jdistcc.compiler.GnuHost;

/** The version and help texts, in distccd 3.4's shape (its test suite matches the first line). */
final class Version {
    static final String DISTCC_VERSION = "3.4";

    private Version() {
    }

    static String banner() {
        return "distccd " + DISTCC_VERSION + " " + GnuHost.triple() + "\n"
                + "  (protocols 1, 2 and 3) (default port 3632)\n"
                + "  jdistcc " + implementationVersion() + ", Java " + Runtime.version().feature() + "\n"
                + "\n"
                + "jdistcc is a re-implementation of distcc in Java; it speaks distcc's protocols.\n"
                + "distcc is Copyright (C) 2002, 2003, 2004 by Martin Pool and others.\n";
    }

    static String usage() {
        return """
                Usage:
                   distccd [OPTIONS]

                Options:
                    --help                     explain usage and exit
                    --version                  show version and exit
                    -P, --pid-file FILE        save daemon process id to file
                    -N, --nice LEVEL           lower priority, 20=most nice
                    --user USER                if run by root, change to this persona
                    --jobs, -j LIMIT           maximum tasks at any time
                    --job-lifetime SECONDS     maximum lifetime of a compile request
                  Networking:
                    -p, --port PORT            TCP port to listen on
                    --listen ADDRESS           IP address to listen on
                    -a, --allow IP[/BITS]      client address access control (required, repeatable)
                    --allow-private            allow loopback and the private networks
                    --stats                    serve statistics: distccd's page, Prometheus at /metrics
                    --stats-port PORT          TCP port for statistics (default 3633; same --listen, --allow)
                  Compilers:
                    --masquerade-dir DIR       only run compilers named in DIR (default /usr/lib/distcc)
                    --enable-tcp-insecure      run any compiler a client names (dangerous)
                  Debug and trace:
                    --log-level=LEVEL          set detail level for log file
                      levels: critical, error, warning, notice, info, debug
                    --verbose                  set log level to "debug"
                    --no-detach                don't detach from parent (for daemontools, etc)
                    --log-file=FILE            send messages here instead of syslog
                    --log-stderr               send messages to stderr
                    --wizard                   stay in the foreground and log everything to stderr
                  Mode of operation:
                    --inetd                    serve client connected to stdin
                    --daemon                   bind and listen on socket

                distccd runs either from inetd or as a standalone daemon to compile
                files submitted by the distcc client.

                distccd should only run on trusted networks: anyone allowed to connect
                can run code as the user distccd runs as.
                """;
    }

    private static String implementationVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
