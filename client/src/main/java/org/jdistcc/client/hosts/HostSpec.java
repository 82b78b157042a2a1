package org.jdistcc.client.hosts;

import java.util.Objects;
import java.util.Optional;
import org.jdistcc.protocol.ProtocolVersion;

/**
 * One entry of the host list: {@code localhost}, a TCP host or an SSH host, as parsed by {@link
 * HostSpecParser}. Every entry keeps the word it was parsed from ({@link #token()}, what {@code
 * distcc --show-hosts} prints) and its slot count, the most jobs this client runs on it at once.
 *
 * <p>The rule callers keep: the records are plain values. They are never DNS-resolved here, and
 * their constructors only check what would make a lock name or a connection meaningless (a blank
 * host, a port out of range, fewer than one slot).
 */
public sealed interface HostSpec {
    /** The TCP port distccd listens on unless the spec says otherwise. */
    int DEFAULT_PORT = 3632;
    /** Slots for a remote host without {@code /N}: "a bit higher than the local limit". */
    int DEFAULT_REMOTE_SLOTS = 4;
    /** Slots for {@code localhost} without {@code /N}. */
    int DEFAULT_LOCALHOST_SLOTS = 2;

    /** The most jobs this client runs on this host at once (the {@code /N} of the spec). */
    int slots();

    /** The word of the host list this entry came from, verbatim. */
    String token();

    /** The protocol spoken to this host: none is 1, {@code ,lzo} is 2, {@code ,lzo,cpp} is 3. */
    ProtocolVersion protocol();

    /**
     * The host part of distcc's lock and backoff file names ({@code cpu_<lockName>_<slot>},
     * {@code backoff_<lockName>_0}): {@code localhost}, {@code tcp_<host>_<port>} or
     * {@code ssh_<host>}, exactly as distcc 3.4 spells them, so both share one lock directory.
     */
    String lockName();

    /** True for a {@code ,down} host: treated as permanently busy, never given a job. */
    boolean down();

    /** {@code localhost[/N]}: jobs run on this machine, under a local slot lock. */
    record Local(int slots, String token) implements HostSpec {
        public Local {
            requireSlots(slots);
            Objects.requireNonNull(token, "token");
        }

        @Override
        public ProtocolVersion protocol() {
            return ProtocolVersion.V1;
        }

        @Override
        public String lockName() {
            return "localhost";
        }

        @Override
        public boolean down() {
            return false;
        }
    }

    /**
     * {@code host[/N][:port][/N][,opts]} or {@code [ipv6][/N][:port][/N][,opts]}.
     *
     * @param host a name or address, IPv6 literals without their brackets
     */
    record Tcp(String host, int port, int slots, Options options, String token) implements HostSpec {
        public Tcp {
            requireHost(host);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not from 1 to 65535");
            }
            requireSlots(slots);
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public ProtocolVersion protocol() {
            return options.protocol();
        }

        @Override
        public String lockName() {
            return "tcp_" + host + "_" + port;
        }

        @Override
        public boolean down() {
            return options.down();
        }
    }

    /**
     * {@code [user]@host[/N][:command][,opts]}: distccd started over SSH as {@code <ssh> [-l user]
     * host <command> --inetd --enable-tcp-insecure}.
     *
     * @param user the login name; empty means SSH's default (your own, or {@code ~/.ssh/config})
     * @param command the remote distccd; empty means {@value #DEFAULT_COMMAND}
     */
    record Ssh(Optional<String> user, String host, Optional<String> command, int slots, Options options,
            String token) implements HostSpec {
        /** The remote command when the spec names none. */
        public static final String DEFAULT_COMMAND = "distccd";

        public Ssh {
            Objects.requireNonNull(user, "user");
            requireHost(host);
            Objects.requireNonNull(command, "command");
            requireSlots(slots);
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(token, "token");
        }

        /** The distccd to run on the far side: the spec's command, or {@value #DEFAULT_COMMAND}. */
        public String remoteCommand() {
            return command.orElse(DEFAULT_COMMAND);
        }

        @Override
        public ProtocolVersion protocol() {
            return options.protocol();
        }

        @Override
        public String lockName() {
            return "ssh_" + host;
        }

        @Override
        public boolean down() {
            return options.down();
        }
    }

    /**
     * The {@code ,option} words of a remote host, in any order.
     *
     * @param lzo {@code ,lzo}: LZO-compressed bodies (protocol 2)
     * @param cpp {@code ,cpp}: pump mode, preprocessing on the server (protocol 3); needs {@code lzo}
     * @param down {@code ,down}: the host is treated as permanently busy
     * @param auth {@code ,auth}: GSS-API mutual authentication
     * @param authName the {@code =NAME} of {@code ,auth=NAME}; only with {@code auth}
     */
    record Options(boolean lzo, boolean cpp, boolean down, boolean auth, Optional<String> authName) {
        /** No options: protocol 1, up, no authentication. */
        public static final Options NONE = new Options(false, false, false, false, Optional.empty());

        /** The message distcc gives for {@code ,cpp} without {@code ,lzo}. */
        static final String CPP_NEEDS_LZO = "pump mode (',cpp') requires compression (',lzo')";

        public Options {
            Objects.requireNonNull(authName, "authName");
            if (cpp && !lzo) {
                throw new IllegalArgumentException(CPP_NEEDS_LZO);
            }
            if (authName.isPresent() && !auth) {
                throw new IllegalArgumentException("an auth name needs ',auth'");
            }
        }

        /** Protocol 3 for {@code lzo} and {@code cpp}, 2 for {@code lzo}, 1 otherwise. */
        public ProtocolVersion protocol() {
            if (cpp) {
                return ProtocolVersion.V3;
            }
            return lzo ? ProtocolVersion.V2 : ProtocolVersion.V1;
        }
    }

    private static void requireSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots " + slots + " is less than 1");
        }
    }

    private static void requireHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
    }
}
