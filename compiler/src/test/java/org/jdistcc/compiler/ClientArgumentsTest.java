package org.jdistcc.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jdistcc.compiler.Commands.argv;
import static org.jdistcc.compiler.Commands.line;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClientArgumentsTest {

    /** distcc's StripArgs_Case, then every option of §2.5 step 4. */
    static Stream<Arguments> stripCases() {
        return Stream.of(
                Arguments.of("gcc -c hello.c", "gcc -c hello.c"),
                Arguments.of("cc -Dhello hello.c -c", "cc hello.c -c"),
                Arguments.of("gcc -g -O2 -W -Wall -Wshadow -Wpointer-arith -Wcast-align -c -o h_strip.o h_strip.c",
                        "gcc -g -O2 -W -Wall -Wshadow -Wpointer-arith -Wcast-align -c -o h_strip.o h_strip.c"),
                Arguments.of("cc -c hello.c -D", "cc -c hello.c"),
                Arguments.of("cc -c hello.c -D -D", "cc -c hello.c"),
                Arguments.of("cc -c hello.c -I ../include", "cc -c hello.c"),
                Arguments.of("cc -c -I ../include  hello.c", "cc -c hello.c"),
                Arguments.of("cc -c -I. -I.. -I../include -I/home/mbp/garnome/include -c -o foo.o foo.c",
                        "cc -c -c -o foo.o foo.c"),
                Arguments.of("cc -c -DDEBUG -DFOO=23 -D BAR -c -o foo.o foo.c", "cc -c -c -o foo.o foo.c"),
                Arguments.of("cc -o nsinstall.o -c -DOSTYPE=\"Linux2.4\" -DOSARCH=\"Linux\" -DOJI -D_BSD_SOURCE"
                        + " -I../dist/include -I../dist/include"
                        + " -I/home/mbp/work/mozilla/mozilla-1.1/dist/include/nspr -I/usr/X11R6/include -fPIC"
                        + " -I/usr/X11R6/include -Wall -W -Wno-unused -Wpointer-arith -Wcast-align -pedantic"
                        + " -Wno-long-long -pthread -pipe -DDEBUG -D_DEBUG -DDEBUG_mbp -DTRACING -g"
                        + " -I/usr/X11R6/include -include ../config-defs.h -DMOZILLA_CLIENT"
                        + " -Wp,-MD,.deps/nsinstall.pp nsinstall.c",
                        "cc -o nsinstall.o -c -fPIC -Wall -W -Wno-unused -Wpointer-arith -Wcast-align"
                        + " -pedantic -Wno-long-long -pthread -pipe -g nsinstall.c"),
                Arguments.of("cc -c x.c -U X -L lib -l m -MF x.d -MT x.o -MQ x.o", "cc -c x.c"),
                Arguments.of("cc -c x.c -include a.h -imacros m.h -iprefix p -iwithprefix w"
                        + " -isystem s -iwithprefixbefore b -idirafter d", "cc -c x.c"),
                Arguments.of("cc -c x.c -UX -Llib -lm -MFx.d -MTx.o -MQx.o -isystem/s -stdlib=libc++"
                        + " -Wl,-z,now -Wp,-DX", "cc -c x.c"),
                Arguments.of("cc -c x.c -undef -nostdinc -nostdinc++ -MD -MMD -MG -MP", "cc -c x.c"),
                Arguments.of("cc -c x.c -iquote q -x c -Xpreprocessor -P -O2", "cc -c x.c -iquote q -x c"
                        + " -Xpreprocessor -P -O2"),
                Arguments.of("cc -c x.c -o x.o -include", "cc -c x.c -o x.o"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stripCases")
    void stripRemovesPreprocessorAndLinkerOptions(String command, String expected) {
        assertThat(line(ClientArguments.stripLocalOnly(argv(command)))).isEqualTo(expected);
    }

    /** §2.2 -Wp, expansion, including distcc's DashWpMD_Case form. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gcc -Wp,-MD,depfile -c x.c        | gcc -MD -MF depfile -c x.c",
        "gcc -Wp,-MMD,.deps/x.d -c x.c     | gcc -MMD -MF .deps/x.d -c x.c",
        "gcc -Wp,-DA,-UB -c x.c            | gcc -DA -UB -c x.c",
        "gcc -Wp,-MD,d.d,-DX -c x.c        | gcc -MD -MF d.d -DX -c x.c",
        "gcc -Wp,-DX,-MMD,d.d -c x.c       | gcc -DX -MMD -MF d.d -c x.c",
        "gcc -Wp,-MD -c x.c                | gcc -MD -c x.c",
        "gcc -Wp,-MF,dep -c x.c            | gcc -MF dep -c x.c",
        "gcc -Wpx,-DA -c x.c               | gcc -Wpx,-DA -c x.c",
    })
    void wpOptionsExpandIntoSeparateArguments(String command, String expected) {
        assertThat(line(ClientArguments.expandPreprocessorOptions(argv(command)))).isEqualTo(expected);
    }

    @Test
    void wpKeepsEmptyItemsAsEmptyArguments() {
        assertThat(ClientArguments.expandPreprocessorOptions(List.of("gcc", "-Wp,", "-Wp,a,,b", "-Wp,-MD,")))
                .containsExactly("gcc", "", "a", "", "b", "-MD", "-MF", "");
    }

    /** §2.5 step 3: -o removed in both forms, every -c and -S turned into -E, the rest kept. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gcc -c hello.c                        | gcc -E hello.c",
        "gcc -o hello.o -c hello.c             | gcc -E hello.c",
        "gcc -ohello.o -c hello.c              | gcc -E hello.c",
        "gcc -S -c -c hello.c -o hello.s       | gcc -E -E -E hello.c",
        "gcc -MD -MF x.d -DX -I inc -c x.c -o x.o | gcc -MD -MF x.d -DX -I inc -E x.c",
        "gcc -c x.c -o                         | gcc -E x.c",
    })
    void preprocessCommandDropsOutputAndStopsAfterCpp(String command, String expected) {
        assertThat(line(ClientArguments.preprocessCommand(argv(command)))).isEqualTo(expected);
    }
}
