package org.jdistcc.client.agent;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.jdistcc.client.LocalCompiler;
import org.jdistcc.protocol.PacketWriter;
import org.jdistcc.protocol.Token;

/**
 * Runs a command where the caller is: sends it to the front-end (LOCL, ARGC/ARGV, ENVC/ENVV), which
 * runs it with its own terminal, stdin, umask and signals, and answers with the wait status (STAT),
 * which the session's reader hands over through {@code statuses} (a negative value: the front-end
 * is gone).
 */
final class FrontEndRun implements LocalCompiler {
    private final PacketWriter out;
    private final BlockingQueue<Long> statuses;

    FrontEndRun(PacketWriter out, BlockingQueue<Long> statuses) {
        this.out = out;
        this.statuses = statuses;
    }

    @Override
    public int run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        synchronized (out) {
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
        long status = statuses.take();
        if (status < 0) {
            throw new IOException("the distcc front-end went away");
        }
        return (int) Math.min(status, Integer.MAX_VALUE);
    }
}
