package org.jdistcc.server.access;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which compilers a client may run: distcc's defence against CVE-2004-2687, where anyone who
 * reached the port could run any program. A policy is a decision from the client's argv[0] to a
 * {@link CompilerDecision}; it never throws for hostile input, and the reason it gives is safe to
 * log as it is.
 *
 * <p>Exactly one policy is in force: {@code DISTCC_CMDLIST} if set ({@link CmdListPolicy}), else
 * {@code --enable-tcp-insecure} ({@link InsecureAnyCompilerPolicy}), else the masquerade directory
 * ({@link MasqueradePolicy}). {@link #select} makes that choice. Dangerous compiler options are a
 * separate check, {@link ArgumentPolicy}, that no policy here turns off.
 */
public sealed interface CompilerPolicy permits MasqueradePolicy, CmdListPolicy, InsecureAnyCompilerPolicy {
    /** Decides about the compiler name or path the client sent as argv[0]. */
    CompilerDecision decide(String argv0);

    /**
     * Chooses the policy as distccd does, from the daemon's environment ({@code DISTCC_CMDLIST},
     * {@code DISTCC_CMDLIST_NUMWORDS}), its {@code --enable-tcp-insecure} flag and the masquerade
     * directory (normally {@link MasqueradePolicy#DEFAULT_DIRECTORY}).
     *
     * @throws IOException if {@code DISTCC_CMDLIST} names a file that cannot be read
     * @throws IllegalArgumentException if {@code DISTCC_CMDLIST_NUMWORDS} is not a whole number of
     *     at least 1
     */
    static CompilerPolicy select(Map<String, String> environment, boolean enableTcpInsecure,
            Path masqueradeDirectory) throws IOException {
        String cmdList = environment.get(CmdListPolicy.FILE_VARIABLE);
        if (cmdList != null) {
            int numWords = CmdListPolicy.parseNumWords(environment.get(CmdListPolicy.NUMWORDS_VARIABLE));
            return CmdListPolicy.read(Path.of(cmdList), numWords);
        }
        if (enableTcpInsecure) {
            return new InsecureAnyCompilerPolicy();
        }
        return new MasqueradePolicy(masqueradeDirectory);
    }
}
