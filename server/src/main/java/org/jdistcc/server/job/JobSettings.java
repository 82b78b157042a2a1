package org.jdistcc.server.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jdistcc.protocol.Limits;
import org.jdistcc.server.access.ArgumentPolicy;
import org.jdistcc.server.access.CompilerPolicy;

/**
 * What every job on this server shares.
 *
 * @param tmpDir        where job directories are made ($TMPDIR)
 * @param limits        bounds on what a request may announce
 * @param compilers     which compiler names may run
 * @param arguments     which arguments are refused whatever the compiler
 * @param path          the PATH compilers are looked up on (DISTCCD_PATH, else PATH)
 * @param masqueradeDir the masquerade directory, skipped when looking up compilers
 * @param environment   the compilers' environment, before TMPDIR and _DISTCC_SAFEGUARD are set
 * @param nice          the niceness increment for compilers (0: none)
 * @param jobLifetime   the longest a compiler may run ({@link Duration#ZERO}: no limit)
 * @param saveTemps     keep job directories (DISTCC_SAVE_TEMPS=1)
 */
public record JobSettings(Path tmpDir, Limits limits, CompilerPolicy compilers, ArgumentPolicy arguments,
                          String path, Path masqueradeDir, Map<String, String> environment, int nice,
                          Duration jobLifetime, boolean saveTemps) {
    public JobSettings {
        environment = Map.copyOf(environment);
    }
}
