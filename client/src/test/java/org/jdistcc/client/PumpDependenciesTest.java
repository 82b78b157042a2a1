package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reference §2.8, distcc's DotD_Case among them. */
class PumpDependenciesTest {

    private static Optional<PumpDependencies> of(String output, boolean explicit, Map<String, String> env, String... argv) {
        return PumpDependencies.of(List.of(argv), output, explicit, env);
    }

    @Test
    void mdWithDashOGoesBesideTheObjectAndTheObjectIsTheTarget() {
        assertThat(of("hello.o", true, Map.of(), "gcc", "-MD", "-c", "foo.c", "-o", "hello.o"))
                .contains(new PumpDependencies("hello.d", "hello.o"));
    }

    @Test
    void mdWithoutDashOIsNamedAfterTheSource() {
        assertThat(of("foo.o", false, Map.of(), "gcc", "-MD", "-c", "foo.c"))
                .contains(new PumpDependencies("foo.d", "foo.o"));
    }

    @Test
    void mfNamesTheFileAndMtTheTargetSoNoneIsAdded() {
        assertThat(of("x.o", true, Map.of(), "gcc", "-MD", "-MF", "foobar", "-MT", "t", "-c", "x.c", "-o", "x.o"))
                .contains(new PumpDependencies("foobar", null));
    }

    @Test
    void withoutDependencyOptionsNoFileIsWritten() {
        assertThat(of("x.o", true, Map.of(), "gcc", "-c", "x.c", "-o", "x.o")).isEmpty();
    }

    @Test
    void dependenciesOutputGivesFileAndTarget() {
        assertThat(of("x.o", true, Map.of("DEPENDENCIES_OUTPUT", "xxx.d yyy"), "gcc", "-c", "x.c", "-o", "x.o"))
                .contains(new PumpDependencies("xxx.d", "yyy"));
        assertThat(of("x.o", true, Map.of("DEPENDENCIES_OUTPUT", "zzz.d"), "gcc", "-c", "x.c", "-o", "x.o"))
                .contains(new PumpDependencies("zzz.d", "x.o"));
    }

    @Test
    void theTargetIsAppendedToTheRequest() {
        assertThat(new PumpDependencies("x.d", "x.o").requestArguments(List.of("gcc", "-MD", "-c", "x.c")))
                .containsExactly("gcc", "-MD", "-c", "x.c", "-MT", "x.o");
        assertThat(new PumpDependencies("x.d", null).requestArguments(List.of("gcc"))).containsExactly("gcc");
    }
}
