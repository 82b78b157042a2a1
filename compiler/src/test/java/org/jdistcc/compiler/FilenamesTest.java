package org.jdistcc.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilenamesTest {

    /** distcc's ExtractExtension_Case, plus the basename and trailing-dot rules. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
        "hello.c,         .c",
        "hello.cpp,       .cpp",
        "hello.2.4.4.4.c, .c",
        ".foo,            .foo",
        "gcc,             NONE",
        "hello.,          NONE",
        "hello..,         NONE",
        "dir.d/hello,     NONE",
        "dir.d/hello.C,   .C",
        "dir/,            NONE",
        "'',              NONE",
        ".,               NONE",
    })
    void extensionIsTheBasenameTextFromTheLastDot(String name, String extension) {
        assertThat(Filenames.extension(name)).isEqualTo(Optional.ofNullable(extension));
    }

    /** distcc's IsSource_Case, extended to every extension of §2.3. */
    @ParameterizedTest(name = "{0}: source={1} preprocessed={2}")
    @CsvSource({
        "hello.c,       true,  false",
        "hello.cc,      true,  false",
        "hello.cxx,     true,  false",
        "hello.cpp,     true,  false",
        "hello.cp,      true,  false",
        "hello.c++,     true,  false",
        "hello.C,       true,  false",
        "hello.m,       true,  false",
        "hello.M,       true,  false",
        "hello.mm,      true,  false",
        "hello.mi,      true,  true",
        "hello.mii,     true,  true",
        "hello.2.4.4.i, true,  true",
        "hello.ii,      true,  true",
        ".foo,          false, false",
        "gcc,           false, false",
        "boot.s,        false, false",
        "boot.S,        false, false",
        "hello.CC,      false, false",
        "hello.CPP,     false, false",
        "hello.I,       false, false",
        "hello.h,       false, false",
        "hello.cu,      false, false",
        "hello.f,       false, false",
        "hello.o,       false, false",
        "src.c/hello,   false, false",
        "../src/a.c,    true,  false",
        ".c,            true,  false",
    })
    void sourceAndPreprocessedFollowTheExtensionCaseSensitively(
            String name, boolean source, boolean preprocessed) {
        assertThat(Filenames.isSource(name)).isEqualTo(source);
        assertThat(Filenames.isPreprocessed(name)).isEqualTo(preprocessed);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "hello.o,     true",
        "dir/hello.o, true",
        ".o,          true",
        "hello.O,     false",
        "hello.obj,   false",
        "hello.o.d,   false",
        "o,           false",
    })
    void objectMeansExactlyDotO(String name, boolean object) {
        assertThat(Filenames.isObject(name)).isEqualTo(object);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "conftest.c,           true",
        "tmp.conftest.c,       true",
        "/tmp/dir/conftest.cc, true",
        "sub/tmp.conftest.i,   true",
        "myconftest.c,         false",
        "conftest,             false",
        "conftest.dir/hello.c, false",
    })
    void conftestLooksAtTheBasenamePrefixOnly(String name, boolean conftest) {
        assertThat(Filenames.isConftest(name)).isEqualTo(conftest);
    }

    /** The temp input extension of §1.6 step 1, which tells the server's compiler the language. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "hello.c,   .i",
        "hello.i,   .i",
        "hello.cc,  .ii",
        "hello.cpp, .ii",
        "hello.cxx, .ii",
        "hello.cp,  .ii",
        "hello.c++, .ii",
        "hello.C,   .ii",
        "hello.ii,  .ii",
        "hello.m,   .mi",
        "hello.mi,  .mi",
        "hello.mm,  .mii",
        "hello.M,   .mii",
        "hello.mii, .mii",
        "boot.s,    .s",
        "boot.S,    .s",
        "hello.h,   .tmp",
        "hello.cu,  .tmp",
        "hello,     .tmp",
        "hello.,    .tmp",
    })
    void preprocessedExtensionFollowsTheSourceLanguage(String source, String extension) {
        assertThat(Filenames.preprocessedExtension(source)).isEqualTo(extension);
    }

    @ParameterizedTest(name = "{0} -S={1} -> {2}")
    @CsvSource(nullValues = "NONE", value = {
        "hello.c,           false, hello.o",
        "hello.c,           true,  hello.s",
        "../src/hello.cpp,  false, hello.o",
        "/abs/dir/x.y.c,    false, x.y.o",
        "a.c,               false, a.o",
        ".c,                false, NONE",
        "dir/.c,            false, NONE",
        "abc,               false, NONE",
        "abc.,              false, NONE",
        "src.d/abc,         false, NONE",
    })
    void impliedOutputReplacesTheBasenameExtension(String source, boolean assembly, String output) {
        assertThat(Filenames.impliedOutput(source, assembly)).isEqualTo(Optional.ofNullable(output));
    }
}
