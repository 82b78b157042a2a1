package org.jdistcc.server.access;

import org.jdistcc.protocol.Printable;

/**
 * {@code --enable-tcp-insecure}: any client may run any program as the daemon's user. Only an
 * empty name and one holding NUL (which no exec can take) are refused. Right for ssh mode, where
 * the user already has a shell on the server; over TCP it makes the host a botnet node for anyone
 * the {@link AllowList} lets in.
 */
public record InsecureAnyCompilerPolicy() implements CompilerPolicy {
    @Override
    public CompilerDecision decide(String argv0) {
        if (argv0.isEmpty()) {
            return new CompilerDecision.Refused("compiler name is empty");
        }
        if (argv0.indexOf('\0') >= 0) {
            return new CompilerDecision.Refused("compiler name " + Printable.of(argv0) + " contains NUL");
        }
        return new CompilerDecision.Allowed(argv0);
    }
}
