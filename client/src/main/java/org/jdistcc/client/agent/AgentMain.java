package org.jdistcc.client.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jdistcc.client.DistccClient;
import org.jdistcc.client.schedule.SlotLocks;
import org.jdistcc.compiler.process.ProcessCommandRunner;

/**
 * {@code AgentMain --dir $DISTCC_DIR/agent --build ID [--idle SECONDS]}: started, detached, by the
 * front-end (native/distcc.c). The only class of the agent that reads its arguments or exits.
 */
public final class AgentMain {
    private static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        String build = null;
        Duration idle = DEFAULT_IDLE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--build" -> build = args[i + 1];
                case "--idle" -> idle = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                default -> {
                    System.err.println("jdistcc agent: unknown option " + args[i]);
                    System.exit(101);
                }
            }
        }
        if (dir == null || build == null) {
            System.err.println("usage: AgentMain --dir DIR --build ID [--idle SECONDS]");
            System.exit(101);
        }
        DistccClient client = new DistccClient(new ProcessCommandRunner(), Clock.systemUTC(),
                ProcessHandle.current().pid(), SlotLocks.RELEASES);
        AgentServer server = new AgentServer(dir, build, client, idle, Clock.systemUTC());
        if (server.bind()) {
            server.serve();
        }
        System.exit(0);
    }
}
