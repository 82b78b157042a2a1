package org.jdistcc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class OneByteInputStreamTest {

    @Test
    void readIntoAnArrayReturnsOneByteAtATime() throws IOException {
        OneByteInputStream in = OneByteInputStream.of(new byte[] {1, 2, 3});
        byte[] buffer = new byte[8];

        assertThat(in.read(buffer, 0, 8)).isEqualTo(1);
        assertThat(in.read(buffer, 1, 8 - 1)).isEqualTo(1);
        assertThat(in.read(buffer, 2, 8 - 2)).isEqualTo(1);
        assertThat(in.read(buffer, 3, 8 - 3)).isEqualTo(-1);
        assertThat(buffer).startsWith(1, 2, 3);
    }

    @Test
    void readNBytesStillGetsEverythingByAskingRepeatedly() throws IOException {
        byte[] data = "DIST00000001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(OneByteInputStream.of(data).readNBytes(12)).isEqualTo(data);
    }

    @Test
    void availableAndSkipPromiseNoMoreThanOneByte() throws IOException {
        OneByteInputStream in = OneByteInputStream.of(new byte[] {1, 2, 3});

        assertThat(in.available()).isZero();
        assertThat(in.skip(3)).isEqualTo(1);
        assertThat(in.read()).isEqualTo(2);
    }

    @Test
    void zeroLengthReadReturnsZero() throws IOException {
        assertThat(OneByteInputStream.of(new byte[] {1}).read(new byte[4], 0, 0)).isZero();
    }
}
