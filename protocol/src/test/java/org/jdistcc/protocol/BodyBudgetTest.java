package org.jdistcc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    private final List<Long> claims = new ArrayList<>();
    private final BodyBudget recording = (token, bytes) -> claims.add(bytes);

    private long claimed() {
        return claims.stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void announcedLengthIsNotClaimedUntilTheBytesArrive() {
        byte[] header = "DOTI00100000".getBytes(StandardCharsets.US_ASCII); // 1 MiB announced
        byte[] wire = new byte[header.length + 10];
        System.arraycopy(header, 0, wire, 0, header.length);
        PacketReader reader = new PacketReader(new ByteArrayInputStream(wire), Limits.DEFAULT, recording);

        assertThatThrownBy(() -> reader.readFile(Token.DOTI, false)).isInstanceOf(TruncatedException.class);
        assertThat(claimed()).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void claimsCoverTheBodyAndItsDecompressedSize() throws IOException {
        byte[] source = "int x;\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new PacketWriter(wire).file(Token.DOTI, source, true);
        PacketReader reader = new PacketReader(new ByteArrayInputStream(wire.toByteArray()), Limits.DEFAULT, recording);

        byte[] read = reader.readFile(Token.DOTI, true);

        assertThat(read).isEqualTo(source);
        assertThat(claimed()).isGreaterThanOrEqualTo(source.length + wire.size() - 12L);
    }

    @Test
    void aSpentBudgetEndsTheReadWithAProtocolError() {
        BodyBudget spent = (token, bytes) -> {
            throw new ProtocolException(token + ": budget spent");
        };
        byte[] wire = "ARGV00000003gcc".getBytes(StandardCharsets.US_ASCII);
        PacketReader reader = new PacketReader(new ByteArrayInputStream(wire), Limits.DEFAULT, spent);

        assertThatThrownBy(() -> reader.readString(Token.ARGV)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("ARGV");
    }
}
