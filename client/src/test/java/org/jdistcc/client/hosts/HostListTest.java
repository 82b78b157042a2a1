package org.jdistcc.client.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostListTest {

    /** {@code distcc -j} adds every /LIMIT, localhost and down hosts included; --localslots never counts. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost                                   | 2
            angry                                       | 4
            localhost/3 angry/44 @b ted@c/2:/d          | 53
            --localslots=16 --localslots_cpp=32 a/1     | 1
            a,down b/10,down                            | 14
            +zeroconf                                   | 0
            """)
    void totalSlotsIsWhatDistccDashJPrints(String spec, int total) throws Exception {
        assertThat(HostSpecParser.parse(spec).totalSlots()).isEqualTo(total);
    }

    /** The preprocessor can start before a host is chosen only when every host wants a preprocessed source. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a b/4 @c d,lzo              | true
            127.0.0.1:3632/8            | true
            localhost a                 | false
            a b,cpp,lzo                 | false
            +zeroconf                   | false
            """)
    void everyHostPreprocessesHereOnlyWithoutLocalhostOrPumpHosts(String spec, boolean all) throws Exception {
        assertThat(HostSpecParser.parse(spec).allPreprocessHere()).isEqualTo(all);
    }

    @Test
    void shuffleKeepsTheSameHostsAndEveryOtherField() throws Exception {
        HostList list = HostSpecParser.parse("--randomize --localslots=3 localhost a b/2 @c d:4000 e,lzo f g h i j");

        HostList shuffled = list.shuffled(new SplittableRandom(42));

        assertThat(shuffled.hosts()).containsExactlyInAnyOrderElementsOf(list.hosts());
        assertThat(shuffled.localSlots()).isEqualTo(3);
        assertThat(shuffled.localSlotsCpp()).isEqualTo(8);
        assertThat(shuffled.randomize()).isTrue();
        assertThat(shuffled.totalSlots()).isEqualTo(list.totalSlots());
    }

    @Test
    void shuffleMovesLocalhostToo() throws Exception {
        HostList list = HostSpecParser.parse("localhost a b c d e f g");

        boolean moved = false;
        for (int seed = 0; seed < 50 && !moved; seed++) {
            moved = !(list.shuffled(new SplittableRandom(seed)).hosts().get(0) instanceof HostSpec.Local);
        }

        assertThat(moved).isTrue();
    }

    @Test
    void shuffleWithTheSameSeedGivesTheSameOrder() throws Exception {
        HostList list = HostSpecParser.parse("a b c d e f g h");

        assertThat(list.shuffled(new SplittableRandom(7)).hosts())
                .isEqualTo(list.shuffled(new SplittableRandom(7)).hosts());
    }

    @Test
    void shuffleLeavesTheOriginalAlone() throws Exception {
        HostList list = HostSpecParser.parse("a b c d e f g h");
        List<HostSpec> before = list.hosts();

        list.shuffled(new SplittableRandom(1));

        assertThat(list.hosts()).isEqualTo(before);
    }

    @Test
    void hostsCannotBeChangedAfterParsing() throws Exception {
        HostList list = HostSpecParser.parse("a b");

        assertThatThrownBy(() -> list.hosts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void localSlotsBelowOneCannotBeBuilt() {
        assertThatThrownBy(() -> new HostList(List.of(), 0, 8, false, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostList(List.of(), 4, 0, false, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
