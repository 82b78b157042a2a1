package org.jdistcc.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FallbackLogTest {
    @TempDir
    Path stateDir;

    @Test
    void recentReturnsTheLastFallbacksOldestFirst() throws IOException {
        FallbackLog log = new FallbackLog(stateDir);
        for (int i = 0; i < 5; i++) {
            log.append(new Fallback(Instant.ofEpochMilli(1000L * i), 100 + i, "connect_failed", "f" + i + ".c",
                    "h:1: connect failed"));
        }
        assertThat(log.recent(2)).extracting(Fallback::file).containsExactly("f3.c", "f4.c");
        assertThat(log.recent(2).get(1)).isEqualTo(new Fallback(Instant.ofEpochMilli(4000), 104, "connect_failed",
                "f4.c", "h:1: connect failed"));
    }

    @Test
    void tabsAndNewlinesInFieldsCannotBreakALine() throws IOException {
        FallbackLog log = new FallbackLog(stateDir);
        log.append(new Fallback(Instant.EPOCH, 1, "other", "a\tb.c", "line one\nline\ttwo"));
        assertThat(log.recent(5)).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo("a b.c");
            assertThat(f.why()).isEqualTo("line one line two");
        });
    }

    @Test
    void theLogStaysBoundedWhateverIsAppended() throws IOException {
        FallbackLog log = new FallbackLog(stateDir);
        for (int i = 0; i < 2000; i++) {
            log.append(new Fallback(Instant.EPOCH, i, "io_error", "file" + i + ".c", "y".repeat(1000)));
        }
        long total = Files.size(stateDir.resolve("fallbacks")) + Files.size(stateDir.resolve("fallbacks.1"));
        assertThat(total).isLessThan(2 * FallbackLog.ROTATE_BYTES + 2 * 1024);
        assertThat(log.recent(3)).extracting(Fallback::file).containsExactly("file1997.c", "file1998.c", "file1999.c");
    }

    @Test
    void missingOrGarbledLogsReadAsWhatParses() throws IOException {
        FallbackLog log = new FallbackLog(stateDir);
        assertThat(log.recent(5)).isEmpty();
        Files.writeString(stateDir.resolve("fallbacks"), "garbage\nx\ty\tz\tw\tv\n1\t2\tr\tf.c\twhy\n");
        assertThat(log.recent(5)).extracting(Fallback::why).containsExactly("why");
    }
}
