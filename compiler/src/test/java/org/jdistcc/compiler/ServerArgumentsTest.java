package org.jdistcc.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jdistcc.compiler.Commands.argv;
import static org.jdistcc.compiler.Commands.line;

import java.util.Optional;

import org.jdistcc.compiler.ScanResult.Distribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerArgumentsTest {

    private static final String TEMP_INPUT = "/tmp/distccd_0badf00d.i";
    private static final String TEMP_OUTPUT = "/tmp/distccd_0badf00d.o";

    /** §1.6 step 5: input and output replaced, every other argument left as it was. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gcc -O2 -o x.o -c x.c     | gcc -O2 -o /tmp/distccd_0badf00d.o -c /tmp/distccd_0badf00d.i",
        "gcc -O2 -ox.o -c x.c      | gcc -O2 -o/tmp/distccd_0badf00d.o -c /tmp/distccd_0badf00d.i",
        "gcc -O2 -c x.c            | gcc -O2 -c /tmp/distccd_0badf00d.i -o /tmp/distccd_0badf00d.o",
        "gcc -S ../x.c -o ../x.s   | gcc -S /tmp/distccd_0badf00d.i -o /tmp/distccd_0badf00d.o",
        "gcc -c -o foo.c bar.c     | gcc -c -o /tmp/distccd_0badf00d.o /tmp/distccd_0badf00d.i",
        "gcc -MF -oout -c a.c -o b.o | gcc -MF -oout -c /tmp/distccd_0badf00d.i -o /tmp/distccd_0badf00d.o",
    })
    void rewriteReplacesOnlyTheScannedInputAndOutput(String command, String expected) {
        Distribute job = (Distribute) ArgumentScanner.scan(argv(command));
        Optional<String> rewritten =
                ServerArguments.withTempFiles(job, TEMP_INPUT, TEMP_OUTPUT).map(Commands::line);
        assertThat(rewritten).contains(expected);
    }

    @Test
    void bareObjectOutputCannotBeRewrittenAsStockDistccdFails() {
        Distribute job = (Distribute) ArgumentScanner.scan(argv("gcc -c x.c x.o"));
        assertThat(ServerArguments.withTempFiles(job, TEMP_INPUT, TEMP_OUTPUT)).isEmpty();
    }

    @Test
    void rewriteLeavesTheScanResultUntouched() {
        Distribute job = (Distribute) ArgumentScanner.scan(argv("gcc -c x.c"));
        ServerArguments.withTempFiles(job, TEMP_INPUT, TEMP_OUTPUT);
        assertThat(line(job.argv())).isEqualTo("gcc -c x.c -o x.o");
    }
}
