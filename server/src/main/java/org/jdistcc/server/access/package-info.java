/**
 * Who may use this distccd and what they may run: the client access list ({@link
 * org.jdistcc.server.access.AllowList} of {@link org.jdistcc.server.access.CidrMask}s, for
 * {@code --allow} and {@code --allow-private}), the compiler allow-list ({@link
 * org.jdistcc.server.access.CompilerPolicy}: masquerade directory, {@code DISTCC_CMDLIST}, or the
 * loud {@code --enable-tcp-insecure}), and the options no client may pass ({@link
 * org.jdistcc.server.access.ArgumentPolicy}).
 *
 * <p>Everything here is a pure decision from its inputs to a sealed decision value; nothing reads
 * the environment, exits or opens sockets, and addresses are parsed numerically, never through
 * DNS. Malformed configuration is an {@link java.lang.IllegalArgumentException} (the daemon exits
 * 101); a hostile client only ever gets a refusal whose reason is safe to log.
 */
package org.jdistcc.server.access;
