package org.jdistcc.client.include;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DirectiveScannerTest {

    private static List<Directive> scan(String text) {
        return DirectiveScanner.scan(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "#include \"a.h\"|QUOTE|a.h|false",
            "#include <sys/b.h>|ANGLE|sys/b.h|false",
            "  #  include   <c.h>  // trailing|ANGLE|c.h|false",
            "#include_next <d.h>|ANGLE|d.h|true",
            "#import \"e.h\"|QUOTE|e.h|false",
            "%:include \"f.h\"|QUOTE|f.h|false",
            "#include HEADER(x)|COMPUTED|HEADER(x)|false",
            "#include <a//b.h>|ANGLE|a//b.h|false",
            "#/* c */include \"g.h\"|QUOTE|g.h|false",
    })
    void includeLinesAreReadAsThePreprocessorReadsThem(String line, Directive.Form form, String text, boolean next) {
        assertThat(scan(line + "\n")).containsExactly(new Directive.Include(form, text, next));
    }

    @Test
    void includesInsideConditionalsAllCount() {
        assertThat(scan("#if 0\n#include \"never.h\"\n#else\n#include \"always.h\"\n#endif\n"))
                .containsExactly(new Directive.Include(Directive.Form.QUOTE, "never.h", false),
                        new Directive.Include(Directive.Form.QUOTE, "always.h", false));
    }

    @Test
    void commentedOutIncludesAndIncludesInStringsDoNotCount() {
        assertThat(scan("/*\n#include \"no1.h\"\n*/\n// #include \"no2.h\"\nconst char *s = \"\\n#include \\\"no3.h\\\"\";\n"))
                .isEmpty();
    }

    @Test
    void aFileAskedForByHasIncludeCountsAsIncluded() {
        assertThat(scan("#if __has_include(\"opt.h\") && __has_include_next(<sys.h>)\n#endif\n"))
                .containsExactly(new Directive.Include(Directive.Form.QUOTE, "opt.h", false),
                        new Directive.Include(Directive.Form.ANGLE, "sys.h", true));
    }

    @Test
    void backslashNewlineContinuesADirective() {
        assertThat(scan("#inc\\\nlude \\\r\n\"split.h\"\n"))
                .containsExactly(new Directive.Include(Directive.Form.QUOTE, "split.h", false));
    }

    @Test
    void aCommentSpanningLinesContinuesTheDefine() {
        assertThat(scan("#define A /* one\n two */ \"b.h\"\n"))
                .containsExactly(new Directive.Define("A", null, "\"b.h\""));
    }

    @Test
    void definesKeepTheirParametersAndBody() {
        assertThat(scan("#define F(x, y) x ## y\n#define G (x)\n#define V(fmt, args...) fmt\n#define E\n"))
                .containsExactly(new Directive.Define("F", List.of("x", "y"), "x ## y"),
                        new Directive.Define("G", null, "(x)"),
                        new Directive.Define("V", List.of("fmt", "args..."), "fmt"),
                        new Directive.Define("E", null, ""));
    }
}
