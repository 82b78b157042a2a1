package org.jdistcc.client.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jdistcc.client.DistccClient;
import org.jdistcc.client.schedule.SlotLocks;
import org.jdistcc.compiler.process.ProcessCommandRunner;

/**
 * {@code AgentMain --dir $DISTCC_DIR/agent --build ID [--idle SECONDS] [--rehearsals N]}: started, detached, by the
 * front-end (native/distcc.c). The only class of the agent that reads its arguments or exits.
 */
public final class AgentMain {
    private static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);
    /** Make-believe jobs run at start to warm the JIT up (Rehearsal), and the most time they may take. */
    private static final int DEFAULT_REHEARSALS = 300;
    private static final Duration REHEARSAL_BUDGET = Duration.ofSeconds(20);

    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        String build = null;
        Duration idle = DEFAULT_IDLE;
        int rehearsals = DEFAULT_REHEARSALS;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--build" -> build = args[i + 1];
                case "--idle" -> idle = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                case "--rehearsals" -> rehearsals = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("jdistcc agent: unknown option " + args[i]);
                    System.exit(101);
                }
            }
        }
        if (dir == null || build == null) {
            System.err.println("usage: AgentMain --dir DIR --build ID [--idle SECONDS] [--rehearsals N]");
            System.exit(101);
        }
        DistccClient client = new DistccClient(new ProcessCommandRunner(), Clock.systemUTC(),
                ProcessHandle.current().pid(), SlotLocks.RELEASES);
        AgentServer server = new AgentServer(dir, build, client, idle, Clock.systemUTC());
        if (server.bind()) {
            if (rehearsals > 0) {
                Thread.ofPlatform().daemon().name("agent-rehearsal")
                        .start(new Rehearsal(dir, rehearsals, REHEARSAL_BUDGET, Clock.systemUTC()));
            }
            server.serve();
        }
        System.exit(0);
    }
}
