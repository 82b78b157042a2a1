package org.jdistcc.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TaskStateCodecTest {
    /**
     * {@code $DISTCC_DIR/state/binstate_10793} as stock /usr/bin/distcc 3.4 (Debian 12, x86-64) wrote
     * it while preprocessing: pid 10793, no file yet, host localhost, slot 0, phase 3.
     */
    private static byte[] stockPreprocessing() {
        byte[] b = new byte[296];
        HexFormat hex = HexFormat.of();
        put(b, 0, hex.parseHex("2801000000000000" + "0048494400000000" + "292a000000000000"));
        put(b, 152, "localhost".getBytes());
        put(b, 280, hex.parseHex("0000000003000000"));
        return b;
    }

    private static void put(byte[] b, int at, byte[] v) {
        System.arraycopy(v, 0, b, at, v.length);
    }

    @Test
    void encodesExactlyWhatTheStockClientWrites() {
        assertThat(TaskStateCodec.encode(new TaskState(10793, "", "localhost", 0, Phase.CPP)))
                .isEqualTo(stockPreprocessing());
    }

    @Test
    void decodesTheStockClientsFile() {
        assertThat(TaskStateCodec.decode(stockPreprocessing()))
                .contains(new TaskState(10793, "", "localhost", 0, Phase.CPP));
    }

    @Test
    void roundTripsEveryPhase() {
        for (Phase p : Phase.values()) {
            TaskState s = new TaskState(4242, "foo.cc", "10.0.0.5", 3, p);
            assertThat(TaskStateCodec.decode(TaskStateCodec.encode(s))).contains(s);
        }
    }

    @Test
    void namesLongerThan127BytesAreCutAndStayNulTerminated() {
        String longName = "x".repeat(300) + ".c";
        byte[] b = TaskStateCodec.encode(new TaskState(1, longName, "h", 0, Phase.SEND));
        assertThat(b[24 + 127]).isZero();
        assertThat(TaskStateCodec.decode(b).orElseThrow().file()).isEqualTo("x".repeat(127));
    }

    @Test
    void wrongLengthMagicSizeOrPhaseIsSkipped() {
        byte[] good = TaskStateCodec.encode(new TaskState(1, "a.c", "h", 0, Phase.COMPILE));
        assertThat(TaskStateCodec.decode(Arrays.copyOf(good, 295))).isEmpty();
        assertThat(TaskStateCodec.decode(Arrays.copyOf(good, 297))).isEmpty();
        byte[] magic = good.clone();
        magic[9] = 0;
        assertThat(TaskStateCodec.decode(magic)).isEmpty();
        byte[] size = good.clone();
        size[0] = 0;
        assertThat(TaskStateCodec.decode(size)).isEmpty();
        byte[] phase = good.clone();
        phase[284] = 8;
        assertThat(TaskStateCodec.decode(phase)).isEmpty();
    }

    @Test
    void everyTruncationOfAFileIsSkipped() {
        byte[] good = TaskStateCodec.encode(new TaskState(1, "a.c", "h", 0, Phase.COMPILE));
        for (int n = 0; n < good.length; n++) {
            assertThat(TaskStateCodec.decode(Arrays.copyOf(good, n))).as("first %d bytes", n).isEmpty();
        }
    }
}
