package org.jdistcc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdistcc.protocol.Lzo;

/**
 * Records golden byte captures of the stock distcc 3.4 client talking to the stock distccd, for the
 * protocol tests. Starts {@code distccd} on 127.0.0.1, puts a {@link CaptureProxy} in front of it for
 * each case, runs {@code distcc gcc -c ...} through the proxy, and writes what each side sent to
 * {@code <case>.request} and {@code <case>.response}, plus a README.txt with the versions used.
 *
 * <p>Cases: protocol 1 (no host options) and 2 ({@code ,lzo}), each with a file that compiles and one
 * with a syntax error; protocol 3 ({@code ,lzo,cpp}) through {@code INCLUDE_SERVER_STUB}, with the
 * FILE bodies pre-compressed by {@link Lzo} in a fake include-server mirror, since the stock pump
 * include server does not run on Python 3.11.
 *
 * <p>Usage: {@code CaptureGoldenMain <output directory>}; {@code tools/capture-golden} runs it. Only
 * 127.0.0.1 is used; every process is bounded in time and ended by process id; the temp tree is
 * removed at the end.
 */
public final class CaptureGoldenMain {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DAEMON_LIFETIME = Duration.ofSeconds(300);
    private static final Path WORK = Path.of("/tmp/jdistcc-golden");

    private static final String HELLO = "int main(void) { return 0; }\n";
    private static final String BAD = "int main(void) { return }\n";
    private static final String PUMP_HELLO = "#include \"alias.h\"\n#include \"empty.h\"\nint main(void) { return HELLO; }\n";
    private static final String PUMP_HEADER = "#define HELLO 0\n";

    private final Path work;
    private final Path output;
    private final Map<String, String> environment;
    private final List<String> summary = new ArrayList<>();

    private CaptureGoldenMain(Path work, Path output, Map<String, String> environment) {
        this.work = work;
        this.output = output;
        this.environment = environment;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CaptureGoldenMain <output directory>");
            System.exit(2);
        }
        Path output = Files.createDirectories(Path.of(args[0]));
        // A fixed name, so that the paths inside the v3 captures (CDIR, NAME) are the same on every
        // run; directly under /tmp, so that the pump mirror is exactly three components deep.
        // createDirectory fails rather than reuse or follow anything already there.
        Path work;
        try {
            work = Files.createDirectory(WORK);
        } catch (FileAlreadyExistsException e) {
            System.err.println("capture-golden: " + WORK + " exists: another capture runs, or one was killed; remove it");
            System.exit(1);
            return;
        }
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        int status = 1;
        try {
            new CaptureGoldenMain(work, output, cleanEnvironment(System.getenv())).run();
            status = 0;
        } finally {
            deleteTree(work);
        }
        System.exit(status);
    }

    /** The caller's environment without anything that would steer distcc or gcc, in the C locale. */
    static Map<String, String> cleanEnvironment(Map<String, String> env) {
        Map<String, String> clean = new HashMap<>();
        env.forEach((k, v) -> {
            boolean steers = k.startsWith("DISTCC") || k.startsWith("INCLUDE_SERVER") || k.startsWith("CCACHE")
                    || k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE") || k.equals("TMPDIR")
                    || k.equals("GCC_COLORS") || k.endsWith("_INCLUDE_PATH") || k.equals("CPATH")
                    || k.equals("DEPENDENCIES_OUTPUT") || k.equals("SUNPRO_DEPENDENCIES") || k.equals("_DISTCC_SAFEGUARD");
            if (!steers) {
                clean.put(k, v);
            }
        });
        clean.put("LC_ALL", "C");
        return clean;
    }

    private void run() throws Exception {
        Path plain = Files.createDirectories(work.resolve("plain"));
        Files.writeString(plain.resolve("hello.c"), HELLO);
        Files.writeString(plain.resolve("bad.c"), BAD);
        Path pumpSource = preparePump();

        try (StockDistccd daemon = StockDistccd.start(Path.of("/usr/bin/distccd"),
                Files.createDirectories(work.resolve("daemon")), environment, DAEMON_LIFETIME)) {
            try {
                capture(daemon, "v1-success", "", plain, "hello", Map.of(), 0);
                capture(daemon, "v1-error", "", plain, "bad", Map.of(), 1);
                capture(daemon, "v2-success", ",lzo", plain, "hello", Map.of(), 0);
                capture(daemon, "v2-error", ",lzo", plain, "bad", Map.of(), 1);
                capture(daemon, "v3-success", ",lzo,cpp", pumpSource, "hello",
                        Map.of("INCLUDE_SERVER_STUB", stub(pumpSource, "hello.c", "inc/hello.h", "inc/empty.h", "inc/alias.h"),
                                "DISTCC_TESTING_INCLUDE_SERVER", "1"), 0);
                capture(daemon, "v3-error", ",lzo,cpp", pumpSource, "bad",
                        Map.of("INCLUDE_SERVER_STUB", stub(pumpSource, "bad.c"),
                                "DISTCC_TESTING_INCLUDE_SERVER", "1"), 1);
            } catch (Exception e) {
                System.err.println("distccd log:\n" + daemon.logText());
                throw e;
            }
        }
        writeReadme();
        summary.forEach(System.out::println);
    }

    /**
     * Lays out the pump case: sources under {@code work/pump}, and what an include server would have
     * made of them under the mirror {@code work/m} (three components: /tmp, jdistcc-golden, m):
     * {@code .lzo} files compressed with our LZO1X-1, the empty header as liblzo2's 3-byte empty
     * stream, and a relative symbolic link.
     */
    private Path preparePump() throws IOException {
        Path source = Files.createDirectories(work.resolve("pump"));
        Files.createDirectories(source.resolve("inc"));
        Files.writeString(source.resolve("hello.c"), PUMP_HELLO);
        Files.writeString(source.resolve("bad.c"), BAD);
        Files.writeString(source.resolve("inc/hello.h"), PUMP_HEADER);
        Files.writeString(source.resolve("inc/empty.h"), "");
        Files.createSymbolicLink(source.resolve("inc/alias.h"), Path.of("hello.h"));

        Path mirror = work.resolve("m");
        if (mirror.getNameCount() != 3) {
            throw new IOException("the pump mirror must be 3 path components deep: " + mirror);
        }
        for (String file : List.of("hello.c", "bad.c", "inc/hello.h")) {
            Path lzo = mirrored(mirror, source.resolve(file + ".lzo"));
            Files.createDirectories(lzo.getParent());
            Files.write(lzo, Lzo.compress(Files.readAllBytes(source.resolve(file))));
        }
        Files.write(mirrored(mirror, source.resolve("inc/empty.h.lzo")), new byte[] {0x11, 0x00, 0x00});
        Files.createSymbolicLink(mirrored(mirror, source.resolve("inc/alias.h")), Path.of("hello.h"));
        return source;
    }

    private static Path mirrored(Path mirror, Path absolute) {
        return mirror.resolve(absolute.toString().substring(1));
    }

    /** The INCLUDE_SERVER_STUB value: the mirror names of the given files, space-separated. */
    private String stub(Path source, String... files) {
        Path mirror = work.resolve("m");
        List<String> names = new ArrayList<>();
        for (String f : files) {
            Path link = mirrored(mirror, source.resolve(f));
            names.add(Files.isSymbolicLink(link) ? link.toString() : link + ".lzo");
        }
        return String.join(" ", names);
    }

    private void capture(StockDistccd daemon, String name, String hostOptions, Path dir, String stem,
                         Map<String, String> extraEnv, int expectedExit) throws Exception {
        Path distccDir = Files.createDirectories(work.resolve("distcc-dir-" + name));
        try (CaptureProxy proxy = CaptureProxy.start(daemon.port(), CLIENT_TIMEOUT)) {
            Map<String, String> env = new HashMap<>(environment);
            env.put("DISTCC_HOSTS", "127.0.0.1:" + proxy.port() + hostOptions);
            env.put("DISTCC_DIR", distccDir.toString());
            env.put("DISTCC_FALLBACK", "0");
            env.put("DISTCC_SKIP_LOCAL_RETRY", "1");
            env.put("DISTCC_IO_TIMEOUT", "30");
            env.put("TMPDIR", Files.createDirectories(work.resolve("client-tmp")).toString());
            env.putAll(extraEnv);
            List<String> command = new ArrayList<>(List.of("/usr/bin/distcc", "gcc"));
            if (hostOptions.contains("cpp")) {
                command.addAll(List.of("-MD", "-Iinc"));
            }
            command.addAll(List.of("-c", stem + ".c", "-o", stem + ".o"));
            ClientRun run = runClient(command, dir, env);
            if (run.exit() != expectedExit) {
                throw new IOException(name + ": distcc exited " + run.exit() + ", expected " + expectedExit
                        + "\n" + run.stderr());
            }
            CaptureProxy.Capture capture = proxy.await(CLIENT_TIMEOUT);
            String expectedDist = "DIST0000000" + name.charAt(1);
            String head = new String(capture.request(), 0, Math.min(12, capture.request().length), StandardCharsets.US_ASCII);
            if (!head.equals(expectedDist)) {
                throw new IOException(name + ": the client sent \"" + head + "\", not " + expectedDist
                        + " (did it fall back?)\n" + run.stderr());
            }
            if (capture.response().length == 0) {
                throw new IOException(name + ": the server sent nothing\n" + run.stderr());
            }
            Files.write(output.resolve(name + ".request"), capture.request());
            Files.write(output.resolve(name + ".response"), capture.response());
            summary.add(String.format("%-11s request %6d bytes, response %6d bytes, distcc exit %d",
                    name, capture.request().length, capture.response().length, run.exit()));
        }
    }

    private record ClientRun(int exit, String stderr) {
    }

    private ClientRun runClient(List<String> command, Path dir, Map<String, String> env)
            throws IOException, InterruptedException, TimeoutException {
        Path err = Files.createTempFile(work, "client-", ".stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new TimeoutException("distcc did not finish within " + CLIENT_TIMEOUT + ": " + command);
        }
        return new ClientRun(p.exitValue(), Files.readString(err));
    }

    private void writeReadme() throws IOException, InterruptedException {
        String readme = """
                Golden captures: the raw bytes of stock distcc 3.4 talking to stock distccd 3.4.

                Made by tools/capture-golden (org.jdistcc.testing.CaptureGoldenMain), which starts
                distccd on 127.0.0.1, puts a recording TCP proxy (org.jdistcc.testing.CaptureProxy)
                between it and the client, and runs the client once per case, with DISTCC_DIR fresh,
                DISTCC_FALLBACK=0, DISTCC_SKIP_LOCAL_RETRY=1 and LC_ALL=C on both sides.
                <case>.request is what the client sent, <case>.response what the server answered,
                byte for byte, nothing added.

                Cases (run in /tmp/jdistcc-golden; the command as typed, before distcc rewrites gcc):
                  v1-success   DISTCC_HOSTS=127.0.0.1:PORT        distcc gcc -c hello.c -o hello.o
                  v1-error     DISTCC_HOSTS=127.0.0.1:PORT        distcc gcc -c bad.c -o bad.o
                  v2-success   DISTCC_HOSTS=127.0.0.1:PORT,lzo    distcc gcc -c hello.c -o hello.o
                  v2-error     DISTCC_HOSTS=127.0.0.1:PORT,lzo    distcc gcc -c bad.c -o bad.o
                  v3-success   DISTCC_HOSTS=127.0.0.1:PORT,lzo,cpp distcc gcc -MD -Iinc -c hello.c -o hello.o
                  v3-error     DISTCC_HOSTS=127.0.0.1:PORT,lzo,cpp distcc gcc -MD -Iinc -c bad.c -o bad.o

                Sources:
                  plain hello.c   %s
                  plain bad.c     %s
                  pump hello.c    %s
                  pump inc/hello.h %s
                  pump inc/empty.h (empty), inc/alias.h -> hello.h (symbolic link), bad.c as above

                Protocol 3 without the include server: the stock pump include server does not run on
                Python 3.11, so INCLUDE_SERVER_STUB names the files of a hand-made include-server
                mirror. Its .lzo files were compressed by jdistcc's own Lzo (aircompressor LZO1X-1),
                not by the include server; empty.h is the 3-byte liblzo2 empty stream 11 00 00, as
                the include server writes it. So the FILE bodies of v3-*.request are ours, and every
                other byte (headers, argv, CDIR, NAME, LINK, the whole response) is stock distcc's.
                The v3 requests hold the directory the capture ran in, /tmp/jdistcc-golden/pump
                (CDIR, NAME).

                Versions:
                  %s
                  %s
                  %s
                  %s
                  captured on %s (UTC)
                """.formatted(
                        quoted(HELLO), quoted(BAD), quoted(PUMP_HELLO), quoted(PUMP_HEADER),
                        firstLine("/usr/bin/distcc", "--version"),
                        firstLine("/usr/bin/distccd", "--version"),
                        "Debian package: " + firstLine("dpkg-query", "-W", "-f", "${Package} ${Version}", "distcc"),
                        firstLine("gcc", "--version"),
                        LocalDate.now(ZoneOffset.UTC));
        Files.writeString(output.resolve("README.txt"), readme);
    }

    private static String quoted(String source) {
        return "\"" + source.replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private String firstLine(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p = pb.start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return text.lines().findFirst().orElse("(no output)").strip();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
