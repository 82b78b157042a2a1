package org.jdistcc.client.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jdistcc.client.LocalCompiler;
import org.jdistcc.protocol.PacketWriter;
import org.jdistcc.protocol.Token;

/**
 * Runs a command where the caller is: sends it to the front-end (LOCL, ARGC/ARGV, ENVC/ENVV; LOUT
 * first for the preprocessor, whose stdout goes to the agent's temporary file), which runs it with
 * its own terminal, stdin, umask and signals, and answers with the wait status (STAT), which the
 * session's reader hands over through {@code statuses} (a negative value: the front-end is gone).
 * The front-end runs one command at a time and answers in order, so one command is out at a time
 * here too, and a caller that is interrupted still waits for its command's status, so that it is
 * never taken for the next command's.
 */
final class FrontEndRun implements LocalCompiler {
    private final PacketWriter out;
    private final BlockingQueue<Long> statuses;
    private final ReentrantLock turn = new ReentrantLock();

    FrontEndRun(PacketWriter out, BlockingQueue<Long> statuses) {
        this.out = out;
        this.statuses = statuses;
    }

    @Override
    public int run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        return command(null, argv, env);
    }

    @Override
    public int runInto(Path output, List<String> argv, Map<String, String> env)
            throws IOException, InterruptedException {
        return command(output, argv, env);
    }

    private int command(Path output, List<String> argv, Map<String, String> env)
            throws IOException, InterruptedException {
        turn.lockInterruptibly();
        try {
            synchronized (out) {
                if (output != null) {
                    out.string(Token.LOUT, output.toString());
                }
                out.header(Token.LOCL, 0);
                out.header(Token.ARGC, argv.size());
                for (String a : argv) {
                    out.string(Token.ARGV, a);
                }
                out.header(Token.ENVC, env.size());
                for (Map.Entry<String, String> e : env.entrySet()) {
                    out.string(Token.ENVV, e.getKey() + "=" + e.getValue());
                }
                out.flush();
            }
            return status();
        } finally {
            turn.unlock();
        }
    }

    private int status() throws IOException, InterruptedException {
        boolean interrupted = false;
        long status;
        while (true) {
            try {
                status = statuses.take();
                break;
            } catch (InterruptedException e) {
                interrupted = true;   // the command runs on in the front-end: its status is still ours
            }
        }
        if (status < 0) {
            throw new IOException("the distcc front-end went away");
        }
        if (interrupted) {
            throw new InterruptedException("cancelled while the front-end ran a command");
        }
        return (int) Math.min(status, Integer.MAX_VALUE);
    }
}
