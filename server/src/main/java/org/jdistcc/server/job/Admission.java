package org.jdistcc.server.job;

import java.util.List;
import org.jdistcc.compiler.ArgumentScanner;
import org.jdistcc.compiler.ScanResult;
import org.jdistcc.protocol.Printable;
import org.jdistcc.server.access.ArgumentDecision;
import org.jdistcc.server.access.CompilerDecision;
import org.jdistcc.server.access.CompilerPolicy;

/**
 * The checks every job passes before anything is written for it, in this order: its arguments
 * (plain-mode or pump-mode rules, decided by the caller), a command distcc would distribute, a
 * compiler on the allow-list. Pure.
 */
sealed interface Admission {
    /** The job may run: its scan, and the compiler command the allow-list gives for it. */
    record Admitted(ScanResult.Distribute job, String command) implements Admission {
    }

    /** The job is refused: why, in distccd's words, and its input when known. */
    record Refused(Refusal why, String reason, String input) implements Admission {
    }

    static Admission of(List<String> argv, ArgumentDecision arguments, CompilerPolicy compilers) {
        if (arguments instanceof ArgumentDecision.Refused refused) {
            return new Refused(Refusal.ARGUMENTS, refused.reason(), null);
        }
        ScanResult scan = ArgumentScanner.scan(argv);
        if (!(scan instanceof ScanResult.Distribute job)) {
            return new Refused(Refusal.ARGUMENTS,
                    "command is not distributable: " + Printable.of(((ScanResult.Local) scan).message()), null);
        }
        return switch (compilers.decide(argv.get(0))) {
            case CompilerDecision.Allowed allowed -> new Admitted(job, allowed.command());
            case CompilerDecision.Refused refused -> new Refused(Refusal.COMPILER, refused.reason(), job.input());
        };
    }
}
