package org.jdistcc.compiler.process;

/**
 * How a process ended.
 *
 * @param waitStatus the POSIX wait status: {@code exit << 8} for a normal exit, the signal number for
 *                   a process killed by a signal
 * @param ending     why it ended: by itself, past its lifetime, or cancelled by the caller
 */
public record Outcome(int waitStatus, Ending ending) {

    /** Why a process ended. */
    public enum Ending {
        EXITED, TIMED_OUT, CANCELLED
    }

    public static Outcome exited(int exitCode) {
        return new Outcome((exitCode & 0xff) << 8, Ending.EXITED);
    }

    public static Outcome killed(int signal, Ending ending) {
        return new Outcome(signal & 0x7f, ending);
    }

    public boolean succeeded() {
        return ending == Ending.EXITED && waitStatus == 0;
    }
}
