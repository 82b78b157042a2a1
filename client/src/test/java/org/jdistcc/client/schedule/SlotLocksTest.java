package org.jdistcc.client.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotLocksTest {

    @TempDir
    Path distccDir;

    SlotLocks locks;
    Path lockDir;

    @BeforeEach
    void setUp() throws IOException {
        locks = new SlotLocks(LockDirectory.of(distccDir, true));
        lockDir = distccDir.resolve("lock");
    }

    @Test
    void aFreeSlotIsTakenAndItsFileCreatedEmptyUnderStocksName() throws IOException {
        try (Slot slot = locks.tryAcquire("tcp_10.0.0.1_3632", 0).orElseThrow()) {
            assertThat(slot.lockName()).isEqualTo("tcp_10.0.0.1_3632");
            assertThat(slot.index()).isZero();
            assertThat(slot.isHeld()).isTrue();
            assertThat(slot.file().getFileName().toString()).isEqualTo("cpu_tcp_10.0.0.1_3632_0");
            assertThat(lockDir.resolve("cpu_tcp_10.0.0.1_3632_0")).exists().isEmptyFile();
        }
    }

    @Test
    void aSlotHeldInThisJvmIsBusyForASecondAcquire() throws IOException {
        try (Slot held = locks.tryAcquire("localhost", 0).orElseThrow()) {
            assertThat(locks.tryAcquire("localhost", 0)).isEmpty();
            assertThat(held.isHeld()).isTrue();
        }
    }

    @Test
    void anotherSlotLocksOnTheSameDirectorySeesTheSlotBusyToo() throws IOException {
        Path alias = Files.createSymbolicLink(distccDir.resolve("alias"), distccDir);
        SlotLocks other = new SlotLocks(LockDirectory.of(alias, true));
        try (Slot held = locks.tryAcquire("ssh_box", 1).orElseThrow()) {
            assertThat(other.tryAcquire("ssh_box", 1)).isEmpty();
            assertThat(held.isHeld()).isTrue();
        }
    }

    @Test
    void aReleasedSlotCanBeTakenAgainAndItsFileStays() throws IOException {
        Slot first = locks.tryAcquire("ssh_box", 0).orElseThrow();
        first.close();

        assertThat(first.isHeld()).isFalse();
        assertThat(lockDir.resolve("cpu_ssh_box_0")).exists();
        try (Slot again = locks.tryAcquire("ssh_box", 0).orElseThrow()) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void closingASlotTwiceIsHarmless() throws IOException {
        Slot slot = locks.tryAcquire("ssh_box", 0).orElseThrow();
        slot.close();
        Slot other = locks.tryAcquire("ssh_box", 0).orElseThrow();

        slot.close();

        assertThat(other.isHeld()).isTrue();
        assertThat(locks.tryAcquire("ssh_box", 0)).isEmpty();
        other.close();
    }

    @Test
    void slotsOfOneHostAndOfDifferentHostsAreIndependent() throws IOException {
        try (Slot a0 = locks.tryAcquire("a", 0).orElseThrow();
                Slot a1 = locks.tryAcquire("a", 1).orElseThrow();
                Slot b0 = locks.tryAcquire("b", 0).orElseThrow()) {
            assertThat(List.of(a0, a1, b0)).allMatch(Slot::isHeld);
        }
    }

    @Test
    void manyThreadsRacingForOneSlotLetExactlyOneWin() throws Exception {
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Slot> won = new ArrayList<>();
        try {
            List<Future<Optional<Slot>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Optional<Slot>> race = () -> {
                    start.await();
                    return locks.tryAcquire("race", 0);
                };
                results.add(pool.submit(race));
            }
            for (Future<Optional<Slot>> result : results) {
                result.get().ifPresent(won::add);
            }
            assertThat(won).hasSize(1);
        } finally {
            won.forEach(Slot::close);
            pool.shutdownNow();
        }
    }

    @Test
    void aSlotHeldByAnotherProcessIsBusy() throws Exception {
        assumeTrue(OtherProcessLock.pythonAvailable(), "python3 with fcntl is needed");
        Files.createDirectories(lockDir);
        OtherProcessLock other = OtherProcessLock.hold(lockDir.resolve("cpu_tcp_h_3632_0"));
        try {
            assertThat(locks.tryAcquire("tcp_h_3632", 0)).isEmpty();
            try (Slot next = locks.tryAcquire("tcp_h_3632", 1).orElseThrow()) {
                assertThat(next.index()).isEqualTo(1);
            }
        } finally {
            other.close();
        }
        try (Slot freed = locks.tryAcquire("tcp_h_3632", 0).orElseThrow()) {
            assertThat(freed.isHeld()).isTrue();
        }
    }

    @Test
    void aSlotHeldHereIsBusyForAnotherProcessUntilReleased() throws Exception {
        assumeTrue(OtherProcessLock.pythonAvailable(), "python3 with fcntl is needed");
        Slot slot = locks.tryAcquire("tcp_h_3632", 0).orElseThrow();
        try {
            assertThat(OtherProcessLock.probe(slot.file())).isEqualTo("busy");
        } finally {
            slot.close();
        }
        assertThat(OtherProcessLock.probe(slot.file())).isEqualTo("free");
    }

    @Test
    void findingAHeldSlotBusyDoesNotFreeItForOtherProcesses() throws Exception {
        // fcntl locks are per process: closing any descriptor of the file would drop them all.
        assumeTrue(OtherProcessLock.pythonAvailable(), "python3 with fcntl is needed");
        try (Slot slot = locks.tryAcquire("tcp_h_3632", 0).orElseThrow()) {
            assertThat(locks.tryAcquire("tcp_h_3632", 0)).isEmpty();
            assertThat(new SlotLocks(LockDirectory.of(distccDir, true)).tryAcquire("tcp_h_3632", 0))
                    .isEmpty();

            assertThat(OtherProcessLock.probe(slot.file())).isEqualTo("busy");
        }
    }

    @Test
    void aMissingExplicitDistccDirSurfacesAnIOException() {
        SlotLocks nowhere = new SlotLocks(LockDirectory.of(distccDir.resolve("missing"), true));

        assertThatThrownBy(() -> nowhere.tryAcquire("localhost", 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("DISTCC_DIR does not exist");
    }

    @Test
    void fileNamesFollowStock() {
        assertThat(SlotLocks.fileName("localhost", 3)).isEqualTo("cpu_localhost_3");
        assertThat(SlotLocks.fileName("tcp_10.0.0.1_3632", 0)).isEqualTo("cpu_tcp_10.0.0.1_3632_0");
        assertThat(SlotLocks.fileName("ssh_box", 1)).isEqualTo("cpu_ssh_box_1");
        assertThatThrownBy(() -> SlotLocks.fileName("a", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
