package org.jdistcc.server.job;

import java.time.Duration;
import org.jdistcc.protocol.Printable;

/**
 * What one connection did, for the summary log line and statistics.
 *
 * @param waitStatus the compiler's wait status, or -1 if it never ran
 * @param compiler   argv[0] as the client sent it, or "(none)"
 * @param input      the client's input file name, or "(none)"
 * @param refusal    why the job was refused, for {@link JobResult#REJ_BAD_REQ}; null otherwise (a
 *                   refused job without one counts as {@link Refusal#BAD_REQUEST})
 */
public record JobReport(JobResult result, int waitStatus, String compiler, String input, Duration time,
                        Refusal refusal) {

    public JobReport(JobResult result, int waitStatus, String compiler, String input, Duration time) {
        this(result, waitStatus, compiler, input, time, null);
    }

    /** This report, refused for {@code reason}. */
    public JobReport withRefusal(Refusal reason) {
        return new JobReport(result, waitStatus, compiler, input, time, reason);
    }

    /** A report with the client's words made printable; a null compiler or input reads "(none)". */
    static JobReport of(JobResult result, int waitStatus, String compiler, String input, Duration time) {
        return new JobReport(result, waitStatus, compiler == null ? "(none)" : Printable.of(compiler),
                input == null ? "(none)" : Printable.of(input), time);
    }

    /** The summary distccd logs for every job: {@code exit:0 sig:0 core:0 ret:0 time:42ms gcc x.c}. */
    public String summary(String peer) {
        int status = Math.max(waitStatus, 0);
        int exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 0;
        int sig = status & 0x7f;
        int core = (status & 0x80) != 0 ? 1 : 0;
        int ret = result == JobResult.COMPILE_OK || result == JobResult.COMPILE_ERROR ? 0 : 1;
        return "client: " + peer + " " + result + " exit:" + exit + " sig:" + sig + " core:" + core + " ret:" + ret
                + " time:" + time.toMillis() + "ms " + compiler + " " + input;
    }
}
