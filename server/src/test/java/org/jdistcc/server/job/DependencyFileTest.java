package org.jdistcc.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DependencyFileTest {
    private static String rewrite(String dotd, String target) {
        return new String(DependencyFile.rewrite(dotd.getBytes(StandardCharsets.ISO_8859_1), "/tmp/distccd_AbC123",
                "/tmp/j/output.o", target), StandardCharsets.ISO_8859_1);
    }

    @Test
    void targetBecomesTheClientsAndTheRootIsRemoved() {
        String dotd = "/tmp/j/output.o: hello.c /tmp/distccd_AbC123/home/u/inc/a.h \\\n"
                + " /usr/include/stdio.h /tmp/distccd_AbC123/home/u/b.h\n";
        assertThat(rewrite(dotd, "hello.o"))
                .isEqualTo("hello.o: hello.c /home/u/inc/a.h \\\n /usr/include/stdio.h /home/u/b.h\n");
    }

    @Test
    void onlyTheFirstOccurrenceOnALineIsTheTarget() {
        assertThat(rewrite("/tmp/j/output.o /tmp/j/output.o: x.c", "t.o")).isEqualTo("t.o /tmp/j/output.o: x.c");
    }

    @Test
    void bytesThatAreNotUtf8PassThrough() {
        String dotd = "/tmp/j/output.o: caf\u00e9\u00ff.h\n";
        assertThat(rewrite(dotd, "x.o")).isEqualTo("x.o: caf\u00e9\u00ff.h\n");
    }

    @Test
    void utf8TargetIsWrittenAsItsBytes() {
        byte[] out = DependencyFile.rewrite("/o.o: x.c\n".getBytes(StandardCharsets.ISO_8859_1), "/r", "/o.o", "é.o");
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("é.o: x.c\n");
    }
}
