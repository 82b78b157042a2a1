package org.jdistcc.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.jdistcc.client.state.Phase;
import org.jdistcc.client.state.StateEntry;
import org.jdistcc.client.state.TaskState;
import org.junit.jupiter.api.Test;

class MonitorTextTest {
    private static StateEntry job(long pid, String file, String host, int slot, Phase phase) {
        return new StateEntry(new TaskState(pid, file, host, slot, phase), Instant.EPOCH);
    }

    @Test
    void printsTheLineStockPrints() {
        // verified line of stock distccmon-text 3.4 (reference §6)
        assertThat(MonitorText.render(List.of(job(5413, "t.i", "127.0.0.1", 0, Phase.COMPILE))))
                .isEqualTo("  5413  Compile     t.i                                           127.0.0.1[0]\n\n");
    }

    @Test
    void longNamesAreCutToTheirColumnsAndDoneJobsAreHidden() {
        String out = MonitorText.render(List.of(
                job(1, "a-very-long-source-file-name-indeed.cc", "a-very-long-host-name.example.org", 12, Phase.CPP),
                job(2, "done.c", "h", 0, Phase.DONE)));
        assertThat(out).isEqualTo("     1  Preprocess  a-very-long-source-file-name-i a-very-long-host-name.ex[12]\n\n");
    }

    @Test
    void noJobsIsOneEmptyLine() {
        assertThat(MonitorText.render(List.of())).isEqualTo("\n");
    }
}
