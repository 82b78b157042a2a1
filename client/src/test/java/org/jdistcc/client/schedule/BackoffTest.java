package org.jdistcc.client.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jdistcc.testing.FakeClock;

class BackoffTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path distccDir;

    FakeClock clock;
    LockDirectory directory;
    Backoff backoff;

    @BeforeEach
    void setUp() {
        clock = new FakeClock(T0);
        directory = LockDirectory.of(distccDir, true);
        backoff = new Backoff(directory, Backoff.DEFAULT_PERIOD, clock);
    }

    @Test
    void aHostWithoutAMarkIsNotBackedOff() throws IOException {
        assertThat(backoff.isBackedOff("tcp_h_3632")).isFalse();
    }

    @Test
    void aMarkedHostIsBackedOffUntilThePeriodHasPassed() throws IOException {
        backoff.mark("tcp_h_3632");

        clock.advance(Duration.ofSeconds(59));
        assertThat(backoff.isBackedOff("tcp_h_3632")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(backoff.isBackedOff("tcp_h_3632")).isFalse();
    }

    @Test
    void markWritesOneByteUnderStocksNameWithTheClocksTime() throws IOException {
        backoff.mark("tcp_h_3632");

        Path file = distccDir.resolve("lock/backoff_tcp_h_3632_0");
        assertThat(Files.readAllBytes(file)).containsExactly('x');
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(T0);
    }

    @Test
    void markingAgainRenewsTheMarkAndKeepsTheFileOneByte() throws IOException {
        backoff.mark("ssh_box");
        clock.advance(Duration.ofSeconds(50));
        backoff.mark("ssh_box");
        clock.advance(Duration.ofSeconds(50));

        assertThat(backoff.isBackedOff("ssh_box")).isTrue();
        assertThat(distccDir.resolve("lock/backoff_ssh_box_0")).hasSize(1);
    }

    @Test
    void ageIsJudgedInWholeSecondsLikeStocksTimeT() throws IOException {
        clock.set(T0.plusMillis(900));
        backoff.mark("a");
        clock.set(T0.plusSeconds(60).plusMillis(100)); // 59.2 s later, but 60 in whole seconds

        assertThat(backoff.isBackedOff("a")).isFalse();
    }

    @Test
    void aMarkFromTheFutureCountsAsBackedOffLikeStock() throws IOException {
        backoff.mark("a");
        clock.set(T0.minusSeconds(3600));

        assertThat(backoff.isBackedOff("a")).isTrue();
    }

    @Test
    void aMarkLeftByAStockClientIsHonoured() throws IOException {
        Path file = Files.createDirectories(distccDir.resolve("lock")).resolve("backoff_tcp_h_3632_0");
        Files.write(file, new byte[] {'x'});
        Files.setLastModifiedTime(file, FileTime.from(T0.minusSeconds(10)));

        assertThat(backoff.isBackedOff("tcp_h_3632")).isTrue();
    }

    @Test
    void clearingRemovesTheMark() throws IOException {
        backoff.mark("a");

        backoff.clear("a");

        assertThat(backoff.isBackedOff("a")).isFalse();
        assertThat(distccDir.resolve("lock/backoff_a_0")).doesNotExist();
    }

    @Test
    void clearingAHostThatWasNeverMarkedIsFine() throws IOException {
        backoff.clear("a");

        assertThat(backoff.isBackedOff("a")).isFalse();
    }

    @Test
    void theSnapshotListsOnlyTheHostsBackedOffNow() throws IOException {
        backoff.mark("a");
        clock.advance(Duration.ofSeconds(30));
        backoff.mark("c");
        clock.advance(Duration.ofSeconds(40));

        assertThat(backoff.backedOff(List.of("a", "b", "c"))).isEqualTo(Set.of("c"));
    }

    @Test
    void aZeroPeriodMarksNothingClearsNothingAndChecksNothing() throws IOException {
        backoff.mark("a");
        Backoff disabled = new Backoff(directory, Duration.ZERO, clock);

        disabled.mark("b");
        disabled.clear("a");

        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.isBackedOff("a")).isFalse();
        assertThat(disabled.backedOff(List.of("a", "b"))).isEmpty();
        assertThat(distccDir.resolve("lock/backoff_a_0")).exists();
        assertThat(distccDir.resolve("lock/backoff_b_0")).doesNotExist();
    }

    @Test
    void aZeroPeriodDoesNotEvenLookAtAMissingDistccDir() throws IOException {
        Backoff disabled = new Backoff(
                LockDirectory.of(distccDir.resolve("missing"), true), Duration.ZERO, clock);

        disabled.mark("a");
        disabled.clear("a");

        assertThat(disabled.isBackedOff("a")).isFalse();
    }

    @ParameterizedTest(name = "DISTCC_BACKOFF_PERIOD={0} -> {1} s")
    @CsvSource(nullValues = "UNSET", value = {
        "UNSET, 60",
        "'', 60",
        "30, 30",
        "' 12 ', 12",
        "0, 0",
        "off, 60",
        "30s, 60",
        "-5, 60",
    })
    void thePeriodComesFromTheEnvironmentInSeconds(String value, long seconds) {
        Map<String, String> env = new HashMap<>();
        if (value != null) {
            env.put("DISTCC_BACKOFF_PERIOD", value);
        }

        assertThat(Backoff.period(env)).isEqualTo(Duration.ofSeconds(seconds));
    }
}
