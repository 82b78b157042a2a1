package org.jdistcc.client.include;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MacroExpanderTest {

    private static MacroExpander expander(String defines) {
        Map<String, List<Directive.Define>> table = new LinkedHashMap<>();
        for (Directive d : DirectiveScanner.scan(defines.getBytes(StandardCharsets.ISO_8859_1))) {
            Directive.Define def = (Directive.Define) d;
            table.computeIfAbsent(def.name(), k -> new ArrayList<>()).add(def);
        }
        return new MacroExpander(table);
    }

    @Test
    void anObjectLikeMacroExpandsToItsBodyAndMayStayUnexpanded() throws Exception {
        assertThat(expander("#define H \"conf.h\"\n").expand("H")).containsExactlyInAnyOrder("H", "\"conf.h\"");
    }

    @Test
    void everyDefinitionOfANameIsAPossibleValue() throws Exception {
        assertThat(expander("#define H \"a.h\"\n#define H \"b.h\"\n").expand("H"))
                .contains("\"a.h\"", "\"b.h\"");
    }

    @Test
    void stringificationOfAnExpandedArgumentNamesAFile() throws Exception {
        MacroExpander e = expander("#define STR(x) #x\n#define XSTR(x) STR(x)\n#define PLATFORM linux\n");
        assertThat(e.expand("XSTR(plat/PLATFORM.h)")).contains("\"plat/linux.h\"");
    }

    @Test
    void pastingJoinsTheArgumentsAsWritten() throws Exception {
        MacroExpander e = expander("#define CAT(a, b) a ## b\n#define HDR CAT(<ver, 2.h>)\n");
        assertThat(e.expand("HDR")).contains("<ver2.h>");
    }

    @Test
    void angleIncludesAreBuiltFromAnObjectLikeMacro() throws Exception {
        assertThat(expander("#define ARCH x86\n#define INC <arch/ARCH/io.h>\n").expand("INC"))
                .contains("<arch/x86/io.h>");
    }

    @Test
    void aSelfReferentialMacroEnds() throws Exception {
        assertThat(expander("#define A A\n#define B C\n#define C B\n").expand("A B")).contains("A B");
    }

    @Test
    void anExplosionOfValuesIsTooComplex() {
        StringBuilder defs = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            defs.append("#define X \"").append(i).append(".h\"\n");
        }
        assertThatThrownBy(() -> expander(defs.toString()).expand("X X X"))
                .isInstanceOf(MacroExpander.TooComplexException.class);
    }
}
