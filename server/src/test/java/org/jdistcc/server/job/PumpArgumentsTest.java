package org.jdistcc.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jdistcc.compiler.ArgumentScanner;
import org.jdistcc.compiler.ScanResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PumpArgumentsTest {
    private static final String ROOT = "/tmp/distccd_AbC123";

    private static Optional<PumpArguments.Rewritten> rewrite(String command) {
        ScanResult.Distribute job = (ScanResult.Distribute) ArgumentScanner.scan(List.of(command.split(" ")));
        return PumpArguments.rewrite(job, ROOT, "/j/output.o", "/j/output.d");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // the stock client's request: -MT pair taken as the target, -MD kept, -MF added
        "gcc -MD -Iinc -c hello.c -o hello.o -MT hello.o | gcc -MD -Iinc -c hello.c -o /j/output.o -MF /j/output.d | hello.o",
        // no -MD: -MMD added; the implied output is the target
        "gcc -c hello.c | gcc -c hello.c -o /j/output.o -MMD -MF /j/output.d | hello.o",
        // absolute include values, joined and separate, are put below the root; relative ones are not
        "gcc -I/usr/inc -I rel -I /abs -isystem /sys -iquote/q -include /f.h -c x.c -o x.o"
            + " | gcc -I/tmp/distccd_AbC123/usr/inc -I rel -I /tmp/distccd_AbC123/abs -isystem /tmp/distccd_AbC123/sys"
            + " -iquote/tmp/distccd_AbC123/q -include /tmp/distccd_AbC123/f.h -c x.c -o /j/output.o -MMD -MF /j/output.d | x.o",
        // -iwithprefixbefore is read as itself (3.4 reads it as -iwithprefix with value 'before')
        "gcc -iwithprefixbefore /p -c x.c -o x.o | gcc -iwithprefixbefore /tmp/distccd_AbC123/p -c x.c -o /j/output.o -MMD -MF /j/output.d | x.o",
        // an absolute input is put below the root, leading slashes folded
        "gcc -c //home/u/x.c -o x.o | gcc -c /tmp/distccd_AbC123/home/u/x.c -o /j/output.o -MMD -MF /j/output.d | x.o",
        // the client's -MF, separate or joined, is dropped in favour of the job's
        "gcc -MD -MF dep.d -MFother.d -c x.c -o x.o | gcc -MD -c x.c -o /j/output.o -MF /j/output.d | x.o",
        // prefix maps: the old path is put below the root
        "gcc -ffile-prefix-map=/home/u=. -c x.c -o x.o | gcc -ffile-prefix-map=/tmp/distccd_AbC123/home/u=. -c x.c -o /j/output.o -MMD -MF /j/output.d | x.o",
        // only the first -MT is the target; a later one stays for gcc
        "gcc -MMD -MT a -MT b -c x.c -o x.o | gcc -MMD -MT b -c x.c -o /j/output.o -MF /j/output.d | a",
    })
    void rewritesAsDistccdDoesForPumpJobs(String command, String expected, String target) {
        PumpArguments.Rewritten r = rewrite(command).orElseThrow();
        assertThat(String.join(" ", r.argv())).isEqualTo(expected);
        assertThat(r.target()).isEqualTo(target);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"gcc -c x.c -MT", "gcc -c x.c x.o"})
    void commandThatCannotBeRewrittenIsEmpty(String command) {
        assertThat(rewrite(command)).isEmpty();
    }
}
