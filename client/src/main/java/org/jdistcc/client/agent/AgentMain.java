package org.jdistcc.client.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jdistcc.client.DistccClient;
import org.jdistcc.client.schedule.SlotLocks;
import org.jdistcc.client.state.ClientMetrics;
import org.jdistcc.client.state.MetricsFile;
import org.jdistcc.client.state.Monitoring;
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
    /** How often the metrics file is brought up to date (when something changed). */
    private static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);
    /** How often the state files of jobs in flight are rewritten, well inside a monitor's 60 s stale limit. */
    private static final int REFRESH_EVERY_PUBLISHES = 20;

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
        Clock clock = Clock.systemUTC();
        Monitoring monitoring = new Monitoring(clock, new ClientMetrics(clock.instant().getEpochSecond()));
        // the agent's directory is $DISTCC_DIR/agent
        MetricsFile metrics = new MetricsFile(MetricsFile.under(dir.toAbsolutePath().getParent()));
        DistccClient client = new DistccClient(new ProcessCommandRunner(), clock,
                ProcessHandle.current().pid(), SlotLocks.RELEASES, monitoring);
        AgentServer server = new AgentServer(dir, build, client, idle, clock);
        if (server.bind()) {
            if (rehearsals > 0) {
                Thread.ofPlatform().daemon().name("agent-rehearsal")
                        .start(new Rehearsal(dir, rehearsals, REHEARSAL_BUDGET, clock));
            }
            Thread.ofPlatform().daemon().name("agent-monitoring").start(() -> publish(monitoring, metrics, server));
            server.serve();
            publishOnce(monitoring, metrics, server);
        }
        System.exit(0);
    }

    /** Keeps the metrics file current and the state files of long phases fresh, until the agent exits. */
    private static void publish(Monitoring monitoring, MetricsFile metrics, AgentServer server) {
        for (long round = 1; ; round++) {
            try {
                Thread.sleep(PUBLISH_EVERY);
            } catch (InterruptedException e) {
                return;
            }
            publishOnce(monitoring, metrics, server);
            if (round % REFRESH_EVERY_PUBLISHES == 0) {
                monitoring.refresh();
            }
        }
    }

    private static void publishOnce(Monitoring monitoring, MetricsFile metrics, AgentServer server) {
        try {
            metrics.publish(monitoring.metrics());
        } catch (IOException e) {
            server.log("cannot write " + metrics.path() + ": " + e.getMessage());
        }
    }
}
