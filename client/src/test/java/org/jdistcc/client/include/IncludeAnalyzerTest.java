package org.jdistcc.client.include;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jdistcc.compiler.process.ProcessCommandRunner;
import org.jdistcc.protocol.IncludedFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Include analysis on small trees, with real gcc's {@code -M} as ground truth: every file gcc lists
 * outside its default system directories must be among the files we send, and none inside them.
 */
class IncludeAnalyzerTest {
    @TempDir
    Path dir;
    private final IncludeAnalyzer analyzer = new IncludeAnalyzer(new ProcessCommandRunner());
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv().getOrDefault("PATH",
            "/usr/bin:/bin"), "LC_ALL", "C"));

    @BeforeEach
    void tree() throws IOException {
        write("src/main.c", """
                #include <stdio.h>
                #include "local.h"
                #include <api.h>
                #define STR(x) #x
                #define XSTR(x) STR(x)
                #define PLATFORM posix
                #include XSTR(plat/PLATFORM.h)
                #define CONF_H "conf/conf.h"
                #include CONF_H
                #include "sub/../up.h"
                #include <wrap.h>
                int main(void) { return LOCAL + API + PLAT + CONF + UP + WRAP + QUOTED + LINKED; }
                """);
        write("src/local.h", "#include \"nested/deep.h\"\n#define LOCAL 1\n");
        write("src/nested/deep.h", "#include \"sibling.h\"\n");
        write("src/nested/sibling.h", "#define DEEP 1\n");
        write("src/plat/posix.h", "#define PLAT 1\n");
        write("src/plat/other.h", "#define PLAT 2\n");
        write("src/conf/conf.h", "#define CONF 1\n");
        write("src/sub/.keep", "");
        write("src/up.h", "#define UP 1\n");
        write("inc/api.h", "#include <stddef.h>\n#include \"linked.h\"\n#define API 1\n");
        write("real/target.h", "#define LINKED 1\n");
        Files.createSymbolicLink(dir.resolve("inc/linked.h"), Path.of("../real/target.h"));
        write("first/wrap.h", "#include_next <wrap.h>\n");
        write("second/wrap.h", "#define WRAP 1\n");
        write("quoted/q.h", "#define QUOTED 1\n");
        write("forced.h", "#include \"q.h\"\n");
    }

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private List<String> command(String... extra) {
        List<String> argv = new ArrayList<>(List.of("gcc", "-Iinc", "-Ifirst", "-Isecond", "-iquote", "quoted",
                "-include", "forced.h"));
        argv.addAll(List.of(extra));
        argv.addAll(List.of("-c", "src/main.c", "-o", "main.o"));
        return argv;
    }

    private Analysis.Files files(List<String> argv) throws Exception {
        Analysis a = analyzer.analyze(argv, dir, env, "src/main.c");
        assertThat(a).isInstanceOf(Analysis.Files.class);
        return (Analysis.Files) a;
    }

    private static Set<String> names(Analysis.Files f, Class<? extends IncludedFile> kind) {
        return f.files().stream().filter(kind::isInstance).map(IncludedFile::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The real paths of the files {@code gcc -M} lists for {@code argv}. */
    private Set<String> gccDependencies(List<String> argv) throws Exception {
        List<String> m = new ArrayList<>();
        for (String a : argv) {
            if (!a.equals("-c")) {
                m.add(a);
            }
        }
        int o = m.indexOf("-o");
        m.remove(o + 1);
        m.remove(o);
        m.add("-M");
        Process p = new ProcessBuilder(m).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("gcc -M: " + new String(p.getErrorStream().readAllBytes())).isZero();
        String deps = out.replace("\\\n", " ");
        Set<String> real = new TreeSet<>();
        for (String word : deps.substring(deps.indexOf(':') + 1).trim().split("\\s+")) {
            real.add(dir.resolve(word).toRealPath().toString());
        }
        return real;
    }

    @Test
    void everyNonSystemFileGccReadsIsSentAndNoSystemHeader() throws Exception {
        List<String> argv = command();
        Analysis.Files f = files(argv);
        Set<String> sent = names(f, IncludedFile.Contents.class);
        Set<String> gcc = gccDependencies(argv);
        Set<String> gccUser = gcc.stream().filter(p -> !p.startsWith("/usr/")).collect(Collectors.toSet());
        assertThat(gccUser).hasSizeGreaterThan(10);
        assertThat(sent).containsAll(gccUser);
        assertThat(sent).noneMatch(p -> p.startsWith("/usr/include") || p.startsWith("/usr/lib/gcc"));
    }

    @Test
    void computedIncludesSendEveryPossibleValue() throws Exception {
        Set<String> sent = names(files(command()), IncludedFile.Contents.class);
        assertThat(sent).contains(real("src/plat/posix.h"), real("src/conf/conf.h"));
    }

    @Test
    void aSymbolicLinkIsSentAsALinkAndItsTargetAsAFile() throws Exception {
        Analysis.Files f = files(command());
        assertThat(f.files()).contains(new IncludedFile.Link(dir.toRealPath().resolve("inc/linked.h").toString(),
                "../real/target.h"));
        assertThat(names(f, IncludedFile.Contents.class)).contains(real("real/target.h"));
    }

    @Test
    void aDirectoryLeftByDotDotIsForcedToExist() throws Exception {
        assertThat(names(files(command()), IncludedFile.Contents.class))
                .contains(dir.toRealPath().resolve("src/sub/" + Mirror.FORCING_FILE).toString());
    }

    @Test
    void aFileReachedThroughAnAbsoluteDirectoryNamesItselfWithLine() throws Exception {
        String abs = dir.toRealPath().resolve("inc").toString();
        List<String> argv = new ArrayList<>(command());
        argv.set(1, "-I" + abs);
        Analysis.Files f = files(argv);
        IncludedFile.Contents api = (IncludedFile.Contents) f.files().stream()
                .filter(e -> e.name().equals(abs + "/api.h")).findFirst().orElseThrow();
        assertThat(new String(api.contents(), StandardCharsets.ISO_8859_1)).startsWith("#line 1 \"" + abs + "/api.h\"\n");
        List<String> user = gccDependencies(argv).stream().filter(p -> !p.startsWith("/usr/")).toList();
        assertThat(names(f, IncludedFile.Contents.class)).containsAll(user);
    }

    @Test
    void cplusplusWithStandardHeadersSendsOnlyTheProjectFiles() throws Exception {
        write("cc/app.cpp", "#include <vector>\n#include <string>\n#include \"model.hpp\"\nint main() { return 0; }\n");
        write("cc/model.hpp", "#include <map>\n#include \"util/strings.hpp\"\n");
        write("cc/util/strings.hpp", "#include <algorithm>\n");
        List<String> argv = List.of("g++", "-std=c++17", "-c", "cc/app.cpp", "-o", "app.o");
        Analysis a = analyzer.analyze(argv, dir, env, "cc/app.cpp");
        assertThat(names((Analysis.Files) a, IncludedFile.Contents.class))
                .containsExactlyInAnyOrder(real("cc/app.cpp"), real("cc/model.hpp"), real("cc/util/strings.hpp"));
    }

    @Test
    void anEditedHeaderIsReadAgainAndAnUnchangedOneIsNot() throws Exception {
        files(command());
        long reads = analyzer.fileReads();
        files(command());
        assertThat(analyzer.fileReads()).isEqualTo(reads);
        Path up = dir.resolve("src/up.h");
        Files.writeString(up, "#define UP 2\n");
        Files.setLastModifiedTime(up, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        String upName = real("src/up.h");
        IncludedFile.Contents c = (IncludedFile.Contents) files(command()).files().stream()
                .filter(e -> e.name().equals(upName)).findFirst().orElseThrow();
        assertThat(new String(c.contents(), StandardCharsets.UTF_8)).isEqualTo("#define UP 2\n");
        assertThat(analyzer.fileReads()).isEqualTo(reads + 1);
    }

    @Test
    void aHeaderCreatedBetweenJobsIsFound() throws Exception {
        files(command());
        write("first/local.h", "#define SHADOW 1\n"); // not reachable: quoted includes look beside main.c first
        write("inc/new.h", "");
        write("src/local.h", "#include <new.h>\n#define LOCAL 1\n");
        assertThat(names(files(command()), IncludedFile.Contents.class)).contains(real("inc/new.h"));
    }

    @Test
    void aComputedIncludeThatNamesNoFileMeansPlainModeAndIsCounted() throws Exception {
        write("src/bad.c", "#include MYSTERY_HEADER\n");
        Analysis a = analyzer.analyze(List.of("gcc", "-c", "src/bad.c"), dir, env, "src/bad.c");
        assertThat(a).isInstanceOf(Analysis.PlainMode.class);
        assertThat(((Analysis.PlainMode) a).kind()).isEqualTo("computed include");
        assertThat(analyzer.plainModeCounts()).containsEntry("computed include", 1L);
    }

    @Test
    void theCompilersPredefinedMacrosTakePartInComputedIncludes() throws Exception {
        write("src/pre.c", "#define STR(x) #x\n#define XSTR(x) STR(x)\n#include XSTR(plat/__x86_64__.h)\n");
        write("src/plat/1.h", "");
        Analysis a = analyzer.analyze(List.of("gcc", "-c", "src/pre.c"), dir, env, "src/pre.c");
        assertThat(names((Analysis.Files) a, IncludedFile.Contents.class)).contains(real("src/plat/1.h"));
    }

    @Test
    void cpathMeansPlainMode() throws Exception {
        env.put("CPATH", "/opt/include");
        assertThat(analyzer.analyze(command(), dir, env, "src/main.c"))
                .isEqualTo(new Analysis.PlainMode("CPATH set", "CPATH=/opt/include"));
    }

    @Test
    void unsupportedOptionsMeanPlainMode() throws Exception {
        assertThat(analyzer.analyze(command("-iprefix", "/x"), dir, env, "src/main.c"))
                .isInstanceOf(Analysis.PlainMode.class);
        assertThat(analyzer.analyze(List.of("gcc", "-c", "a.s"), dir, env, "a.s")).isInstanceOf(Analysis.PlainMode.class);
    }

    @Test
    void anAbsoluteIncludeOutsideTheSystemDirectoriesMeansPlainMode() throws Exception {
        write("src/abs.c", "#include \"" + dir.resolve("src/up.h") + "\"\n");
        Analysis a = analyzer.analyze(List.of("gcc", "-c", "src/abs.c"), dir, env, "src/abs.c");
        assertThat(a).isInstanceOf(Analysis.PlainMode.class);
    }

    @Test
    void aSearchDirectoryInsideASystemDirectoryBecomesALinkBackToIt() throws Exception {
        Analysis.Files f = files(command("-I/usr/include/linux"));
        assertThat(f.files()).contains(new IncludedFile.Link("/usr/include", "../".repeat(64) + "usr/include"));
    }

    private String real(String name) throws IOException {
        return dir.resolve(name).toRealPath().toString();
    }
}
