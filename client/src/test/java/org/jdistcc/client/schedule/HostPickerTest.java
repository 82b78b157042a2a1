package org.jdistcc.client.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostPickerTest {

    /** Hosts written "name/slots", "name/slots,down"; the order written "a0 b0 a1". */
    static Stream<Arguments> orderTable() {
        return Stream.of(
                Arguments.of("a/2 b/1 c/3", "a0 b0 c0 a1 c1 c2"),
                Arguments.of("a/1", "a0"),
                Arguments.of("a/4", "a0 a1 a2 a3"),
                Arguments.of("a/1 b/1 c/1", "a0 b0 c0"),
                Arguments.of("a/3 b/3", "a0 b0 a1 b1 a2 b2"),
                Arguments.of("a/1 b/4 c/2", "a0 b0 c0 b1 c1 b2 b3"),
                Arguments.of("a/2,down b/2", "b0 b1"),
                Arguments.of("a/0 b/1", "b0"),
                Arguments.of("a/-1 b/1", "b0"),
                Arguments.of("", ""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("orderTable")
    void scansBySlotIndexFirstAndHostOrderSecond(String hosts, String expected) {
        assertThat(render(HostPicker.order(hosts(hosts), Set.of(), Set.of()))).isEqualTo(expected);
    }

    @Test
    void backedOffHostsAreLeftOut() {
        List<SlotCandidate> order = HostPicker.order(hosts("a/2 b/1 c/3"), Set.of("a", "c"), Set.of());

        assertThat(render(order)).isEqualTo("b0");
    }

    @Test
    void hostsThatFailedThisJobAreLeftOutEvenWithBackoffDisabled() {
        // Pins the 3.4 bug: with DISTCC_BACKOFF_PERIOD=0 nothing is backed off, and stock retried
        // the failed host forever. Here the job's own failures exclude it.
        List<SlotCandidate> order = HostPicker.order(hosts("a/2 b/1"), Set.of(), Set.of("a"));

        assertThat(render(order)).isEqualTo("b0");
    }

    @Test
    void downBackedOffAndFailedHostsAreAllLeftOutTogether() {
        List<SlotCandidate> order =
                HostPicker.order(hosts("a/1,down b/2 c/1 d/2"), Set.of("b"), Set.of("c"));

        assertThat(render(order)).isEqualTo("d0 d1");
    }

    @Test
    void everyHostExcludedGivesNoCandidates() {
        assertThat(HostPicker.order(hosts("a/1,down b/2 c/1"), Set.of("b"), Set.of("c"))).isEmpty();
    }

    @Test
    void onlyDownHostsGiveNoCandidatesInsteadOfStocksEndlessWait() {
        assertThat(HostPicker.order(hosts("a/2,down b/1,down"), Set.of(), Set.of())).isEmpty();
    }

    @Test
    void slotsPastTheFiftiethAreNeverScannedLikeStock() {
        List<SlotCandidate> order = HostPicker.order(hosts("a/60"), Set.of(), Set.of());

        assertThat(order).hasSize(HostPicker.MAX_SLOT_INDEX);
        assertThat(order.getLast().index()).isEqualTo(49);
    }

    @Test
    void aLockNameListedTwiceIsTriedOncePerSlotAtItsFirstPlace() {
        List<Target> targets = List.of(Target.of("a", 1), Target.of("b", 1), Target.of("a", 3));

        List<SlotCandidate> order = HostPicker.order(targets, Set.of(), Set.of());

        assertThat(render(order)).isEqualTo("a0 b0 a1 a2");
        assertThat(order.get(0).target()).isSameAs(targets.get(0));
        assertThat(order.get(2).target()).isSameAs(targets.get(2));
    }

    @Test
    void candidatesCarryTheTargetTheyCameFrom() {
        List<Target> targets = hosts("a/1 b/1");

        List<SlotCandidate> order = HostPicker.order(targets, Set.of(), Set.of());

        assertThat(order).containsExactly(
                new SlotCandidate(targets.get(0), 0), new SlotCandidate(targets.get(1), 0));
    }

    @Test
    void lockNamesThatAreNotOnePlainFileNameAreRejected() {
        assertThatThrownBy(() -> Target.of("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.of("../x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.of("a\0b", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Target> hosts(String spec) {
        List<Target> out = new ArrayList<>();
        for (String word : spec.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            String[] parts = word.split("[/,]");
            out.add(new Target(parts[0], Integer.parseInt(parts[1]),
                    Arrays.asList(parts).contains("down")));
        }
        return out;
    }

    private static String render(List<SlotCandidate> order) {
        return order.stream().map(c -> c.target().lockName() + c.index())
                .collect(Collectors.joining(" "));
    }
}
