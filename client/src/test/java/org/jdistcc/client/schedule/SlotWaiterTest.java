package org.jdistcc.client.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdistcc.client.schedule.Acquisition.Acquired;
import org.jdistcc.client.schedule.Acquisition.NoHost;
import org.jdistcc.client.schedule.Acquisition.TimedOut;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jdistcc.testing.FakeClock;

class SlotWaiterTest {

    static final Duration SECOND = Duration.ofSeconds(1);
    static final Duration LONG_WAIT = Duration.ofMinutes(5);

    @TempDir
    Path distccDir;

    FakeClock clock;
    RecordingPause pause;
    SlotLocks locks;
    Backoff backoff;
    SlotWaiter waiter;
    final List<Slot> held = new ArrayList<>();

    final Target a = Target.of("tcp_a_3632", 2);
    final Target b = Target.of("tcp_b_3632", 1);

    @BeforeEach
    void setUp() {
        clock = new FakeClock(Instant.parse("2026-11-27T10:00:00Z"));
        pause = new RecordingPause(clock);
        LockDirectory directory = LockDirectory.of(distccDir, true);
        locks = new SlotLocks(directory);
        backoff = new Backoff(directory, Backoff.DEFAULT_PERIOD, clock);
        waiter = new SlotWaiter(locks, backoff, pause, SECOND, clock);
    }

    @AfterEach
    void releaseEverything() {
        held.forEach(Slot::close);
    }

    @Test
    void takesTheFirstSlotInPickerOrder() throws Exception {
        Acquired got = acquired(waiter.acquire(List.of(a, b), Set.of(), LONG_WAIT));

        assertThat(got.target()).isEqualTo(a);
        assertThat(got.slot().index()).isZero();
        assertThat(pause.pauses()).isEmpty();
    }

    @Test
    void takesTheFirstFreeSlotWhenEarlierOnesAreBusy() throws Exception {
        hold("tcp_a_3632", 0);
        hold("tcp_b_3632", 0);

        Acquired got = acquired(waiter.acquire(List.of(a, b), Set.of(), LONG_WAIT));

        assertThat(got.target()).isEqualTo(a);
        assertThat(got.slot().index()).isEqualTo(1);
        assertThat(pause.pauses()).isEmpty();
    }

    @Test
    void backedOffAndFailedHostsAreNotTried() throws Exception {
        Target c = Target.of("tcp_c_3632", 1);
        backoff.mark("tcp_a_3632");

        Acquired got = acquired(waiter.acquire(List.of(a, b, c), Set.of("tcp_b_3632"), LONG_WAIT));

        assertThat(got.target()).isEqualTo(c);
    }

    @Test
    void whenEverySlotIsBusyItPausesAndScansAgain() throws Exception {
        Slot a0 = hold("tcp_a_3632", 0);
        hold("tcp_a_3632", 1);
        hold("tcp_b_3632", 0);
        pause.onPause(n -> {
            if (n == 2) {
                a0.close();
            }
        });

        Acquired got = acquired(waiter.acquire(List.of(a, b), Set.of(), LONG_WAIT));

        assertThat(got.target()).isEqualTo(a);
        assertThat(got.slot().index()).isZero();
        assertThat(pause.pauses()).containsExactly(SECOND, SECOND);
    }

    @Test
    void givesUpOnceTheMaximumWaitHasPassed() throws Exception {
        hold("tcp_b_3632", 0);

        Acquisition result = waiter.acquire(List.of(b), Set.of(), Duration.ofMillis(3500));

        assertThat(result).isEqualTo(new TimedOut(Duration.ofMillis(3500)));
        assertThat(pause.pauses()).containsExactly(
                SECOND, SECOND, SECOND, Duration.ofMillis(500));
    }

    @Test
    void aZeroMaximumWaitScansOnceAndNeverPauses() throws Exception {
        hold("tcp_b_3632", 0);

        Acquisition result = waiter.acquire(List.of(b), Set.of(), Duration.ZERO);

        assertThat(result).isEqualTo(new TimedOut(Duration.ZERO));
        assertThat(pause.pauses()).isEmpty();
    }

    @Test
    void reportsNoHostWhenEveryHostIsExcludedWithoutWaiting() throws Exception {
        backoff.mark("tcp_a_3632");
        Target down = new Target("ssh_box", 4, true);

        Acquisition result = waiter.acquire(List.of(a, b, down), Set.of("tcp_b_3632"), LONG_WAIT);

        assertThat(result).isInstanceOf(NoHost.class);
        assertThat(pause.pauses()).isEmpty();
    }

    @Test
    void reportsNoHostForAnEmptyHostList() throws Exception {
        assertThat(waiter.acquire(List.of(), Set.of(), LONG_WAIT)).isInstanceOf(NoHost.class);
    }

    @Test
    void aHostBackedOffByAnotherClientWhileWaitingDropsOut() throws Exception {
        hold("tcp_b_3632", 0);
        pause.onPause(n -> backoff.mark("tcp_b_3632"));

        Acquisition result = waiter.acquire(List.of(b), Set.of(), LONG_WAIT);

        assertThat(result).isInstanceOf(NoHost.class);
        assertThat(pause.pauses()).hasSize(1);
    }

    @Test
    void withBackoffDisabledAFailedHostStaysOutForTheRestOfTheJob() throws Exception {
        // DISTCC_BACKOFF_PERIOD=0: stock 3.4 would pick the failed host again, forever.
        SlotWaiter noBackoff = new SlotWaiter(
                locks, new Backoff(LockDirectory.of(distccDir, true), Duration.ZERO, clock),
                pause, SECOND, clock);

        Acquisition result = noBackoff.acquire(List.of(b), Set.of("tcp_b_3632"), LONG_WAIT);

        assertThat(result).isInstanceOf(NoHost.class);
    }

    @Test
    void aWakeablePauseCanEndTheWaitEarly() throws Exception {
        Slot b0 = hold("tcp_b_3632", 0);
        List<Duration> asked = new ArrayList<>();
        Pause wokenBySlotRelease = atMost -> {
            asked.add(atMost);
            b0.close(); // as if another job in this JVM finished and signalled
        };
        SlotWaiter agentWaiter = new SlotWaiter(locks, backoff, wokenBySlotRelease, SECOND, clock);

        Acquired got = acquired(agentWaiter.acquire(List.of(b), Set.of(), LONG_WAIT));

        assertThat(got.target()).isEqualTo(b);
        assertThat(asked).containsExactly(SECOND);
    }

    @Test
    void aZeroPauseTimeRescansWithoutSleeping() throws Exception {
        hold("tcp_b_3632", 0);
        List<Duration> asked = new ArrayList<>();
        Pause advancing = atMost -> {
            asked.add(atMost);
            clock.advance(Duration.ofMillis(10)); // the scan itself takes time
        };
        SlotWaiter spinning = new SlotWaiter(locks, backoff, advancing, Duration.ZERO, clock);

        Acquisition result = spinning.acquire(List.of(b), Set.of(), Duration.ofMillis(30));

        assertThat(result).isInstanceOf(TimedOut.class);
        assertThat(asked).containsOnly(Duration.ZERO).hasSize(3);
    }

    @Test
    void anInterruptedThreadStopsWaiting() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> waiter.acquire(List.of(a), Set.of(), LONG_WAIT))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void aMissingExplicitDistccDirIsAnIOExceptionNotAWait() {
        LockDirectory missing = LockDirectory.of(distccDir.resolve("missing"), true);
        SlotWaiter broken = new SlotWaiter(
                new SlotLocks(missing), new Backoff(missing, Backoff.DEFAULT_PERIOD, clock),
                pause, SECOND, clock);

        assertThatThrownBy(() -> broken.acquire(List.of(a), Set.of(), LONG_WAIT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("DISTCC_DIR does not exist");
        assertThat(pause.pauses()).isEmpty();
    }

    @Test
    void localSlotsIgnoreBackoff() throws Exception {
        backoff.mark(LocalSlots.LOCK_NAME);

        Acquired got = acquired(waiter.acquireLocal(LocalSlots.DEFAULT_LOCAL_SLOTS, LONG_WAIT));

        assertThat(got.target().lockName()).isEqualTo("localhost");
        assertThat(got.slot().file().getFileName().toString()).isEqualTo("cpu_localhost_0");
    }

    @Test
    void compileAndCppLocalSlotsShareTheSameFiles() throws Exception {
        for (int i = 0; i < LocalSlots.DEFAULT_LOCAL_SLOTS; i++) {
            hold(LocalSlots.LOCK_NAME, i);
        }

        Acquisition compile = waiter.acquireLocal(LocalSlots.DEFAULT_LOCAL_SLOTS, Duration.ZERO);
        Acquired cpp =
                acquired(waiter.acquireLocal(LocalSlots.DEFAULT_LOCAL_SLOTS_CPP, Duration.ZERO));

        assertThat(compile).isInstanceOf(TimedOut.class);
        assertThat(cpp.slot().index()).isEqualTo(4);
    }

    @Test
    void localhostInTheHostListUsesTheLocalSlots() throws Exception {
        hold(LocalSlots.LOCK_NAME, 0);

        Acquired got = acquired(waiter.acquire(List.of(LocalSlots.target(2)), Set.of(), LONG_WAIT));

        assertThat(got.slot().file().getFileName().toString()).isEqualTo("cpu_localhost_1");
    }

    @ParameterizedTest(name = "DISTCC_PAUSE_TIME_MSEC={0} -> {1} ms")
    @CsvSource(nullValues = "UNSET", value = {
        "UNSET, 1000",
        "'', 1000",
        "250, 250",
        "0, 0",
        "soon, 1000",
        "-1, 1000",
    })
    void thePauseTimeComesFromTheEnvironmentInMilliseconds(String value, long millis) {
        Map<String, String> env = new HashMap<>();
        if (value != null) {
            env.put("DISTCC_PAUSE_TIME_MSEC", value);
        }

        assertThat(SlotWaiter.pauseTime(env)).isEqualTo(Duration.ofMillis(millis));
    }

    private Slot hold(String lockName, int index) throws IOException {
        Slot slot = locks.tryAcquire(lockName, index).orElseThrow();
        held.add(slot);
        return slot;
    }

    private Acquired acquired(Acquisition result) {
        assertThat(result).isInstanceOf(Acquired.class);
        Acquired got = (Acquired) result;
        held.add(got.slot());
        return got;
    }
}
