package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.OurDistcc;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.testing.StockDistccd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pump mode end to end: our client (the engine in this JVM, and {@code bin/distcc} with its agent)
 * sends sources and headers in protocol 3 to the stock Debian {@code distccd} 3.4 on loopback, which
 * preprocesses and compiles them in its mirror of this machine's files. A C and a C++ project with
 * nested, quoted, angle ({@code -I}, relative and absolute), system, computed and symlinked includes
 * build into objects byte-identical to local gcc's (no {@code -g}), with {@code .d} files listing the
 * same dependencies as a local {@code -MD}; an edited header is picked up by the next build. The
 * stock server's log proves pump mode: {@code dcc_fix_debug_info} is logged for protocol 3 jobs only.
 * {@code DISTCC_FALLBACK=0} and {@code DISTCC_SKIP_LOCAL_RETRY=1} keep a failure from hiding behind a
 * local compile.
 */
@Timeout(240)
class PumpClientIT {
    /** How the client runs: the engine in this JVM, or the {@code bin/distcc} command and its agent. */
    enum Client { ENGINE, FRONT_END }

    private Scratch scratch;
    private Path work;
    private StockDistccd stock;

    @BeforeEach
    void setUp() throws Exception {
        scratch = Scratch.create("pump-client");
        work = scratch.dir("work");
        stock = StockDistccd.start(Path.of("/usr/bin/distccd"), scratch.dir("stock"),
                Processes.baseEnvironment(scratch.dir("stock")), Duration.ofSeconds(230));
        writeProjects();
    }

    @AfterEach
    void tearDown() {
        Agents.killUnder(scratch.root());
        if (stock != null) {
            stock.close();
        }
        scratch.close();
    }

    private void writeProjects() throws IOException {
        scratch.write("work/c/src/main.c", """
                #include <stdio.h>
                #include "config.h"
                #include <api/api.h>
                #include <where.h>
                #define STR(x) #x
                #define XSTR(x) STR(x)
                #include XSTR(platform/PLATFORM.h)
                #include LOCAL_HEADER
                int main(void) { printf("%d %d %s\\n", api_value(), PLATFORM_VALUE + LOCAL_VALUE, WHERE); return 0; }
                """);
        scratch.write("work/c/src/config.h", """
                #define PLATFORM posix
                #define LOCAL_HEADER "local/value.h"
                #include "nested/deeper.h"
                """);
        scratch.write("work/c/src/nested/deeper.h", "#include \"../shared.h\"\n#define DEEPER 1\n");
        scratch.write("work/c/src/shared.h", "#define SHARED 2\n");
        scratch.write("work/c/src/platform/posix.h", "#define PLATFORM_VALUE 40\n");
        scratch.write("work/c/src/local/value.h", "#define LOCAL_VALUE 2\n");
        scratch.write("work/c/include/api/api.h", "#include <stddef.h>\n#include \"version.h\"\nint api_value(void);\n");
        scratch.write("work/c/real/version-1.h", "#define API_VERSION 1\n");
        Files.createSymbolicLink(work.resolve("c/include/api/version.h"), Path.of("../../real/version-1.h"));
        scratch.write("work/c/abs/where.h", "#define WHERE __FILE__\n");
        scratch.write("work/c/src/api.c", "#include <api/api.h>\nint api_value(void) { return API_VERSION * 7; }\n");
        Files.createSymbolicLink(work.resolve("c/linked-include"), Path.of("include"));
        scratch.write("work/c/src/linked.c", "#include <api/api.h>\nint linked(void) { return API_VERSION; }\n");

        scratch.write("work/cc/app.cpp", """
                #include <vector>
                #include <string>
                #include <map>
                #include "model/model.hpp"
                #define UTIL(name) <util/name.hpp>
                #include UTIL(text)
                int main() { return static_cast<int>(model::count() + util::words("a b").size()); }
                """);
        scratch.write("work/cc/model/model.hpp", """
                #pragma once
                #include <cstddef>
                #include "detail.hpp"
                namespace model { inline std::size_t count() { return detail::kCount; } }
                """);
        scratch.write("work/cc/model/detail.hpp", "#pragma once\nnamespace detail { constexpr int kCount = 3; }\n");
        scratch.write("work/cc/lib/util/text.hpp", """
                #pragma once
                #include <sstream>
                #include <string>
                #include <vector>
                namespace util {
                inline std::vector<std::string> words(const std::string &s) {
                    std::istringstream in(s); std::vector<std::string> w; std::string x;
                    while (in >> x) w.push_back(x);
                    return w;
                }
                }
                """);
    }

    private OurDistcc client(Client client) {
        OurDistcc c = OurDistcc.toHosts("127.0.0.1:" + stock.port() + ",cpp,lzo", scratch.dir("client"))
                .with("DISTCC_FALLBACK", "0").with("DISTCC_SKIP_LOCAL_RETRY", "1").with("DISTCC_VERBOSE", "1");
        return client == Client.FRONT_END ? c.throughFrontEnd() : c;
    }

    /** Protocol 3 jobs the stock server has finished: it fixes the debug info of those only. */
    private long pumpJobs() {
        return stock.logText().lines().filter(l -> l.contains("(dcc_fix_debug_info)")).count();
    }

    private List<String> cCommand(String source, String object) {
        return List.of("gcc", "-O2", "-Iinclude", "-I" + work.resolve("c/abs"), "-MD", "-c", source, "-o", object);
    }

    /** Compiles through distcc, then the same command locally with the outputs under other names. */
    private void distributedAndLocal(Client client, Path dir, List<String> command, String object) throws IOException {
        ProcessResult r = client(client).run(dir, command.toArray(String[]::new));
        assertThat(r.exitCode()).as("distcc\n%s\nserver log:\n%s", r.describe(), stock.logText()).isZero();
        List<String> local = new ArrayList<>(command.subList(1, command.size()));
        local.set(local.indexOf(object), "local-" + object);
        Gcc.run(dir, command.get(0), local.toArray(String[]::new));
    }

    /** The dependencies a .d file lists, its target left out. */
    private static Set<String> dependencies(Path dotd) throws IOException {
        String text = Files.readString(dotd).replace("\\\n", " ");
        return new TreeSet<>(List.of(text.substring(text.indexOf(':') + 1).trim().split("\\s+")));
    }

    private void assertSameAsLocal(Path dir, String object) throws IOException {
        assertThat(Files.readAllBytes(dir.resolve(object))).as(object + " through pump mode, against local gcc")
                .isNotEmpty().isEqualTo(Files.readAllBytes(dir.resolve("local-" + object)));
        String dotd = object.replaceAll("\\.o$", ".d");
        assertThat(Files.readString(dir.resolve(dotd))).startsWith(object + ":");
        assertThat(dependencies(dir.resolve(dotd))).isEqualTo(dependencies(dir.resolve("local-" + dotd)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void cProjectBuildsInPumpModeLikeALocalBuild(Client client) throws IOException {
        Path c = work.resolve("c");
        long before = pumpJobs();

        distributedAndLocal(client, c, cCommand("src/main.c", "main.o"), "main.o");
        distributedAndLocal(client, c, cCommand("src/api.c", "api.o"), "api.o");
        distributedAndLocal(client, c, List.of("gcc", "-O2", "-Ilinked-include", "-MD", "-c", "src/linked.c", "-o",
                "linked.o"), "linked.o");

        assertSameAsLocal(c, "main.o");
        assertSameAsLocal(c, "api.o");
        assertSameAsLocal(c, "linked.o");
        assertThat(dependencies(c.resolve("main.d"))).contains("src/config.h", "include/api/api.h",
                "include/api/version.h", "src/platform/posix.h", "src/local/value.h", "/usr/include/stdio.h");
        assertThat(pumpJobs() - before).as("pump-mode jobs in the server log").isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void cxxProjectWithStandardHeadersBuildsInPumpModeLikeALocalBuild(Client client) throws IOException {
        Path cc = work.resolve("cc");
        long before = pumpJobs();

        distributedAndLocal(client, cc, List.of("g++", "-O2", "-std=c++17", "-Ilib", "-MD", "-c", "app.cpp", "-o",
                "app.o"), "app.o");

        assertSameAsLocal(cc, "app.o");
        assertThat(dependencies(cc.resolve("app.d"))).contains("model/model.hpp", "model/detail.hpp",
                "lib/util/text.hpp");
        assertThat(pumpJobs() - before).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void anEditedHeaderIsPickedUpByTheNextBuild(Client client) throws IOException {
        Path c = work.resolve("c");
        OurDistcc distcc = client(client);
        String[] command = cCommand("src/api.c", "api.o").toArray(String[]::new);
        assertThat(distcc.run(c, command).exitCode()).isZero();
        byte[] first = Files.readAllBytes(c.resolve("api.o"));

        Files.writeString(c.resolve("real/version-1.h"), "#define API_VERSION 2\n");
        ProcessResult again = distcc.run(c, command);

        assertThat(again.exitCode()).as(again.describe()).isZero();
        Gcc.run(c, "gcc", "-O2", "-Iinclude", "-I" + work.resolve("c/abs"), "-c", "src/api.c", "-o", "local-api.o");
        assertThat(Files.readAllBytes(c.resolve("api.o"))).isNotEqualTo(first)
                .isEqualTo(Files.readAllBytes(c.resolve("local-api.o")));
    }

    /**
     * With -g the code is the same, but the debug information names the server's temporary root:
     * stock distccd 3.4 rewrites it in .debug_info and .debug_str only, not in DWARF 5's
     * .debug_line_str, where gcc 12 puts the compile directory.
     */
    @Test
    void withDebugInformationTheCodeIsTheSameAndTheDebugNamesTheServersDirectory() throws IOException {
        Path c = work.resolve("c");
        distributedAndLocal(Client.ENGINE, c, List.of("gcc", "-O0", "-g", "-Iinclude", "-c", "src/api.c", "-o", "api.o"),
                "api.o");

        assertThat(section(c, "api.o", ".text")).isNotEmpty().isEqualTo(section(c, "local-api.o", ".text"));
        assertThat(new String(Files.readAllBytes(c.resolve("api.o")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("/distccd_");
        assertThat(Files.readAllBytes(c.resolve("api.o"))).isNotEqualTo(Files.readAllBytes(c.resolve("local-api.o")));
    }

    private static byte[] section(Path dir, String object, String name) throws IOException {
        Path out = dir.resolve(object + name + ".bin");
        ProcessResult r = Processes.run(List.of("objcopy", "-O", "binary", "--only-section=" + name, object,
                out.toString()), dir, Processes.baseEnvironment(dir));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return Files.readAllBytes(out);
    }

    @Test
    void scanIncludesListsWhatPumpModeSendsWithoutCompiling() throws IOException {
        Path c = work.resolve("c");
        String real = c.toRealPath().toString();

        ProcessResult r = client(Client.ENGINE).run(c, "--scan-includes", "gcc", "-Iinclude", "-c", "src/main.c");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout().lines().toList()).contains(
                "FILE      " + real + "/src/main.c",
                "FILE      " + real + "/src/platform/posix.h",
                "SYMLINK   " + real + "/include/api/version.h",
                "FILE      " + real + "/real/version-1.h");
        assertThat(r.stdout()).doesNotContain("/usr/include/stdio.h");
        assertThat(c.resolve("main.o")).doesNotExist();
    }

    @Test
    void cpathKeepsTheJobInPlainModeAndSaysWhy() throws IOException {
        Path c = work.resolve("c");
        long before = pumpJobs();

        ProcessResult r = client(Client.ENGINE).with("CPATH", c.resolve("include").toString())
                .run(c, cCommand("src/api.c", "api.o").toArray(String[]::new));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).contains("plain mode for src/api.c", "CPATH set");
        assertThat(pumpJobs()).isEqualTo(before);
    }

    private static Path pump() {
        return OurDistcc.binPath().resolveSibling("pump");
    }

    /** What bin/pump and the bin/distcc it runs need: the pump host, fresh state, the JDK. */
    private Map<String, String> pumpEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Processes.baseEnvironment(scratch.dir("pump-home")));
        env.put("DISTCC_HOSTS", "127.0.0.1:" + stock.port() + ",cpp,lzo");
        env.put("DISTCC_DIR", scratch.freshDir("pump-distcc-dir").toString());
        env.put("TMPDIR", scratch.dir("pump-tmp").toString());
        System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("JDISTCC_") || e.getKey().equals("JAVA_HOME"))
                .forEach(e -> env.put(e.getKey(), e.getValue()));
        return env;
    }

    @Test
    void aJobThatFailsOnTheServerButCompilesHereDemotesTheRestOfTheBuildToPlainMode() {
        // the assembler reads blob.bin, which no #include names: the server cannot have it
        scratch.write("work/c/blob.bin", "0123456789");
        scratch.write("work/c/src/blob.c", "__asm__(\".section .rodata\\n.incbin \\\"blob.bin\\\"\\n.previous\");\n"
                + "int blob;\n");
        Path c = work.resolve("c");
        long before = pumpJobs();

        Map<String, String> env = pumpEnvironment();
        env.put("DISTCC_BACKOFF_PERIOD", "0"); // else the host is backed off for the discrepancy and api.c runs here

        ProcessResult r = Processes.run(List.of(pump().toString(), "sh", "-c", "distcc gcc -c src/blob.c -o blob.o && "
                + "distcc gcc -O2 -Iinclude -I" + work.resolve("c/abs") + " -c src/api.c -o api.o"), c, env);

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(c.resolve("blob.o")).isRegularFile();
        assertThat(r.stderr()).contains("src/blob.c failed in pump mode but compiled here (discrepancy 1 of 1 allowed)",
                "pump mode is off for the rest of this build after 1 discrepancy",
                "__________Warning: 1 pump-mode compilation(s) failed on server, but succeeded locally.",
                "__________Distcc-pump was demoted to plain mode.");
        assertThat(stock.logText()).contains("COMPILE_ERROR").containsPattern("COMPILE_OK .* src/api\\.c");
        assertThat(pumpJobs()).as("no job went in pump mode after the discrepancy").isEqualTo(before);
    }

    @Test
    void pumpCommandRunsTheBuildWithTheFrontEndFirstOnPath() throws IOException {
        Path c = work.resolve("c");
        Path pump = pump();
        Map<String, String> env = pumpEnvironment();
        env.put("DISTCC_FALLBACK", "0");
        env.put("DISTCC_SKIP_LOCAL_RETRY", "1");
        long before = pumpJobs();

        ProcessResult r = Processes.run(List.of(pump.toString(), "sh", "-c",
                "command -v distcc && distcc gcc -O2 -Iinclude -I" + work.resolve("c/abs")
                        + " -c src/api.c -o api.o && echo session=$INCLUDE_SERVER_DIR"), c, env);

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("__________Using distcc-pump from", "__________Using 1 distcc server in pump mode",
                pump.getParent() + "/distcc");
        assertThat(pumpJobs() - before).isEqualTo(1);
        String session = r.stdout().lines().filter(l -> l.startsWith("session=")).findFirst().orElseThrow().substring(8);
        assertThat(Path.of(session)).as("session directory removed at the end").doesNotExist();

        ProcessResult startup = Processes.run(List.of(pump.toString(), "--startup"), c, env);
        assertThat(startup.exitCode()).as(startup.describe()).isZero();
        assertThat(startup.stdout()).containsPattern("(?m)^export INCLUDE_SERVER_PID=''$")
                .containsPattern("(?m)^export INCLUDE_SERVER_DIR='.*/distcc-pump\\.[^/]+'$")
                .containsPattern("(?m)^export INCLUDE_SERVER_PORT='.*/distcc-pump\\.[^/]+/socket'$")
                .containsPattern("(?m)^export PATH='" + pump.getParent() + ":");
        ProcessResult cycle = Processes.run(List.of("sh", "-c", "eval \"$(" + pump + " --startup)\" && test -d "
                + "\"$INCLUDE_SERVER_DIR\" && " + pump + " --shutdown && test ! -e \"$INCLUDE_SERVER_DIR\""), c, env);
        assertThat(cycle.exitCode()).as("eval `pump --startup`; pump --shutdown\n%s", cycle.describe()).isZero();
    }
}
