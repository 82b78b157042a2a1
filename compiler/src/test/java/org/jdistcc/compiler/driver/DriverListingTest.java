package org.jdistcc.compiler.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverListingTest {
    /** What gcc 12 printed for {@code gcc -### -D 'X=a "b" $c' -E small.c} (banner lines shortened). */
    private static final String LISTING = """
            Using built-in specs.
            COLLECT_GCC=gcc
            Target: x86_64-linux-gnu
            Configured with: ../src/configure -v --with-pkgversion='Debian 12.2.0-14'
            COLLECT_GCC_OPTIONS='-D' 'X=first' '-E'
            COLLECT_GCC_OPTIONS='-D' 'X=a "b" $c' '-E' '-mtune=generic' '-march=x86-64'
             /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -E -quiet -D "X=a \\"b\\" \\$c" small.c "-mtune=generic" -dumpbase small.c
            COLLECT_GCC_OPTIONS='-D' 'X=after' '-E'
            """;

    @Test
    void readsTheOneCommandWithItsQuotedWordsAndTheVariablesSetBeforeIt() {
        DriverListing listing = DriverListing.parse(LISTING).orElseThrow();

        assertThat(listing.command()).containsExactly("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "-E", "-quiet", "-D",
                "X=a \"b\" $c", "small.c", "-mtune=generic", "-dumpbase", "small.c");
        assertThat(listing.assignments()).containsExactly(Map.entry("COLLECT_GCC", "gcc"),
                Map.entry("COLLECT_GCC_OPTIONS", "'-D' 'X=a \"b\" $c' '-E' '-mtune=generic' '-march=x86-64'"));
    }

    @Test
    void aListingOfTwoCommandsOrNoneIsNoListing() {
        assertThat(DriverListing.parse("COLLECT_GCC=gcc\n /usr/bin/cc1 -E a.c\n /usr/bin/as a.s\n")).isEmpty();
        assertThat(DriverListing.parse("gcc: fatal error: no input files\n")).isEmpty();
    }

    @Test
    void aWordThatCannotBeReadBackIsNoListing() {
        assertThat(DriverListing.words(" /cc1 \"unterminated")).isEmpty();
        assertThat(DriverListing.words(" /cc1 \"a\"b")).isEmpty();
        assertThat(DriverListing.words(" /cc1  -E")).isEmpty();
        assertThat(DriverListing.words(" /cc1 \"\" -E")).contains(List.of("/cc1", "", "-E"));
    }
}
