package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Gcc;
import org.jdistcc.it.support.ObjectFiles;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.Scratch;
import org.jdistcc.it.support.StockDistcc;
import org.jdistcc.protocol.Lzo;
import org.jdistcc.testing.StockDistccd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pump mode (protocol 3) served by our bin/distccd (which drops root before gcc runs on the
 * client's files) to the stock distcc 3.4 client, which sends real protocol 3 requests without its
 * Python include server through INCLUDE_SERVER_STUB: a space-separated list of files of a hand-made
 * include-server mirror (3 path components deep: {@code /tmp/<scratch>/m}), {@code .lzo} files
 * compressed with LZO1X and plain symbolic links. The stock client needs nothing else: no
 * INCLUDE_SERVER_PORT, and {@code DISTCC_HOSTS=127.0.0.1:PORT/1,lzo,cpp}.
 *
 * <p>Each compile is checked against a local gcc, and against the stock distccd serving the same
 * request. The two daemons' TMPDIRs have the same length, so their fake roots
 * ({@code $TMPDIR/distccd_XXXXXX}) have too.
 */
class PumpServerIT {
    private static Scratch scratch;
    private static BinDistccd.Daemon ours;
    private static StockDistccd stock;
    private static Path src;
    private static Path mirror;

    @BeforeAll
    static void startDaemons() throws Exception {
        scratch = Scratch.create("pump");
        Path ourTmp = scratch.dir("o/tmp");
        ours = BinDistccd.startDaemon(scratch.dir("run"), List.of(),
                BinDistccd.environment(ourTmp, Map.of()));
        stock = StockDistccd.start(Path.of("/usr/bin/distccd"), scratch.dir("s"),
                Processes.baseEnvironment(scratch.root()), BinDistccd.DAEMON_LIFETIME);
        src = scratch.dir("src");
        mirror = scratch.root().resolve("m");
        assertThat(mirror.getNameCount()).as("the stub mirror must be 3 components deep").isEqualTo(3);
        writeSources();
    }

    @AfterAll
    static void stopDaemons() {
        if (ours != null) {
            BinDistccd.kill(ours.pid());
        }
        if (stock != null) {
            stock.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    private static void writeSources() throws IOException {
        scratch.write("src/hello.c", """
                #include <stdio.h>
                #include "alias.h"
                #include <angle.h>
                int main(void) { printf("%d %d %d\\n", HELLO, ANGLE, DEEP); return 0; }
                """);
        scratch.write("src/inc/hello.h", "#include \"nested/deep.h\"\n#define HELLO 1\n");
        scratch.write("src/inc/nested/deep.h", "#define DEEP 3\n");
        scratch.write("src/abs/angle.h", "#define ANGLE 2\n");
        Files.createSymbolicLink(src.resolve("inc/alias.h"), Path.of("hello.h"));
        scratch.write("src/hello.cpp", """
                #include <string>
                #include "inc/hello.h"
                struct Greeter { std::string name; int n() const { return HELLO + DEEP + (int) name.size(); } };
                int main() { Greeter g{"x"}; return g.n() == 5 ? 0 : 1; }
                """);
        for (String f : List.of("hello.c", "hello.cpp", "inc/hello.h", "inc/nested/deep.h", "abs/angle.h")) {
            Path lzo = mirrored(src.resolve(f + ".lzo"));
            Files.createDirectories(lzo.getParent());
            Files.write(lzo, Lzo.compress(Files.readAllBytes(src.resolve(f))));
        }
        Files.createSymbolicLink(mirrored(src.resolve("inc/alias.h")), Path.of("hello.h"));
    }

    private static Path mirrored(Path absolute) {
        return mirror.resolve(absolute.toString().substring(1));
    }

    /** The INCLUDE_SERVER_STUB value for {@code files} of the source tree. */
    private static String stub(String... files) {
        List<String> names = new ArrayList<>();
        for (String f : files) {
            Path m = mirrored(src.resolve(f));
            names.add(Files.isSymbolicLink(m) ? m.toString() : m + ".lzo");
        }
        return String.join(" ", names);
    }

    private static final String[] C_FILES = {"hello.c", "inc/hello.h", "inc/alias.h", "inc/nested/deep.h",
            "abs/angle.h"};

    /** Compiles through the stock client in pump mode to {@code port}; the job must really go as protocol 3. */
    private static ProcessResult pump(int port, Path dir, String stub, String... args) {
        StockDistcc client = StockDistcc.toHosts("127.0.0.1:" + port + "/1,lzo,cpp", scratch.root())
                .with("INCLUDE_SERVER_STUB", stub).with("DISTCC_FALLBACK", "0").with("DISTCC_SKIP_LOCAL_RETRY", "1")
                .with("DISTCC_VERBOSE", "1").with("DISTCC_IO_TIMEOUT", "60");
        ProcessResult r = client.run(dir, args);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).as("a protocol 3 exchange").contains("DIST00000003").contains("got DONE00000003")
                .contains("DOTD");
        return r;
    }

    private static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    /** The dependencies of a .d file (target and continuation lines folded), as a set. */
    private static Set<String> dependencies(Path dotd) throws IOException {
        String text = Files.readString(dotd).replace("\\\n", " ");
        return new TreeSet<>(Arrays.asList(text.substring(text.indexOf(':') + 1).trim().split("\\s+")));
    }

    private String cArgs(String out) {
        return "-MD -Iinc -I" + src.resolve("abs") + " -c hello.c -o " + out;
    }

    @Test
    void cWithQuotedAngleNestedAndLinkedHeadersMatchesLocalAndStockPumpByteForByte() throws Exception {
        Gcc.run(src, "gcc", cArgs("local.o").split(" "));
        pump(ours.port(), src, stub(C_FILES), ("gcc " + cArgs("ours.o")).split(" "));
        pump(stock.port(), src, stub(C_FILES), ("gcc " + cArgs("stock.o")).split(" "));

        assertThat(read(src.resolve("ours.o"))).isEqualTo(read(src.resolve("local.o")))
                .isEqualTo(read(src.resolve("stock.o")));
        // the same dependencies as a local -MD: relative ones relative, the absolute -I's header under its client path
        assertThat(dependencies(src.resolve("ours.d"))).isEqualTo(dependencies(src.resolve("local.d")))
                .contains("inc/alias.h", "inc/nested/deep.h", src.resolve("abs/angle.h").toString(),
                        "/usr/include/stdio.h");
        assertThat(Files.readString(src.resolve("ours.d"))).startsWith("ours.o:").doesNotContain("distccd_");
        assertServerTmpEmptied();
    }

    @Test
    void withDebugInformationTheServerPathIsSlashesWhereStock34LeavesItInDebugLineStr() throws Exception {
        String args = "-g " + cArgs("%s");
        pump(ours.port(), src, stub(C_FILES), ("gcc " + args.formatted("ours-g.o")).split(" "));
        pump(stock.port(), src, stub(C_FILES), ("gcc " + args.formatted("stock-g.o")).split(" "));
        byte[] ourObject = read(src.resolve("ours-g.o"));
        byte[] stockObject = read(src.resolve("stock-g.o"));

        String ourText = new String(ourObject, StandardCharsets.ISO_8859_1);
        assertThat(ourText).doesNotContain("distccd_").contains("//////" + src);
        // distcc 3.4 fixes .debug_info and .debug_str only; gcc 12 (DWARF 5) puts the compilation
        // directory in .debug_line_str, so the stock object names the stock server's fake root.
        Matcher root = Pattern.compile(Pattern.quote(scratch.root() + "/s/tmp/") + "distccd_[A-Za-z0-9]{6}")
                .matcher(new String(stockObject, StandardCharsets.ISO_8859_1));
        assertThat(root.find()).as("stock 3.4 leaves its fake root in the object").isTrue();
        String stockRoot = root.group();
        byte[] normalised = new String(stockObject, StandardCharsets.ISO_8859_1)
                .replace(stockRoot, "/".repeat(stockRoot.length())).getBytes(StandardCharsets.ISO_8859_1);
        // the same fake-root length, so with that path as slashes the objects are the same size and the
        // same code; not always the same bytes: gcc orders DWARF 5's .debug_line_str by hash, and the
        // stock root's random name can change that order
        assertThat(ourObject).hasSameSizeAs(normalised);
        assertThat(ObjectFiles.withoutDebugInformation(src, "ours-g.o"))
                .isEqualTo(ObjectFiles.withoutDebugInformation(src, "stock-g.o"));
    }

    @Test
    void cxxMatchesALocalCompile() throws Exception {
        Gcc.run(src, "g++", "-MD", "-c", "hello.cpp", "-o", "local-cpp.o");
        pump(ours.port(), src, stub("hello.cpp", "inc/hello.h", "inc/nested/deep.h"),
                "g++", "-MD", "-c", "hello.cpp", "-o", "ours-cpp.o");

        assertThat(read(src.resolve("ours-cpp.o"))).isEqualTo(read(src.resolve("local-cpp.o")));
        assertThat(dependencies(src.resolve("ours-cpp.d"))).isEqualTo(dependencies(src.resolve("local-cpp.d")));
        assertServerTmpEmptied();
    }

    /** The server removes a job's directories after its reply: the client may be done a moment earlier. */
    private void assertServerTmpEmptied() {
        Path tmp = scratch.dir("o/tmp");
        Poll.until(Duration.ofSeconds(10), () -> Scratch.contents(tmp).isEmpty(),
                () -> "left in the server's TMPDIR: " + Scratch.contents(tmp));
    }
}
