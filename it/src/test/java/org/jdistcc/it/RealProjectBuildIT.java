package org.jdistcc.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdistcc.it.support.Agents;
import org.jdistcc.it.support.BinDistccd;
import org.jdistcc.it.support.Poll;
import org.jdistcc.it.support.ProcessResult;
import org.jdistcc.it.support.Processes;
import org.jdistcc.it.support.RunningProcess;
import org.jdistcc.it.support.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real C project that we did not write, built with {@code make -j4 CC="bin/distcc gcc"} against our
 * {@code bin/distccd} on loopback: every object must be the one a local build of the same tree, at the
 * same absolute path, makes.
 *
 * <p>The project is GNU libiberty from the binutils release tarball that Debian's {@code binutils-source}
 * package ships in /usr/src/binutils (tools/install-deps installs it): 66 C files, an autoconf
 * {@code configure} that is shipped generated (no autotools needed), and with
 * {@code --enable-host-shared} every file is compiled twice, into {@code x.o} and {@code pic/x.o}
 * ({@code -fpic}), much as libtool compiles into {@code .libs/}. (Debian's {@code libxcrypt-source}
 * would have been the first choice, but it ships the tree without {@code build-aux/}, whose m4 macros
 * and Perl generator scripts {@code configure.ac} and {@code Makefile.am} need, so it cannot be built.)
 *
 * <p>{@code configure} runs once, locally: through distcc every conftest compile runs locally anyway
 * (the client keeps autoconf tests local, as stock distcc does) and it only gets slower. Both builds
 * then run {@code make -j4} in that configured tree, the second after {@code make clean}.
 */
class RealProjectBuildIT {
    private static final Path BINUTILS_SOURCE = Path.of("/usr/src/binutils");
    /** What of the binutils tarball libiberty's configure and make need. */
    private static final List<String> MEMBERS = List.of("libiberty", "include", "config", "config.guess",
            "config.sub", "install-sh", "mkinstalldirs", "move-if-change", "ltmain.sh", "missing");
    private static final Duration CONFIGURE_BOUND = Duration.ofSeconds(120);
    private static final Duration BUILD_BOUND = Duration.ofSeconds(150);
    /** The share of the objects that must have been compiled on the server; the rest may be local. */
    private static final double REMOTE_SHARE = 0.9;
    private static final Pattern COMPILE_OK = Pattern.compile(" COMPILE_OK .* (\\S+)$");

    private Scratch scratch;
    private Path pidFile;

    @BeforeEach
    void createScratch() {
        scratch = Scratch.create("real-project");
    }

    @AfterEach
    void cleanUp() {
        Agents.killUnder(scratch.root());
        if (pidFile != null) {
            BinDistccd.readPid(pidFile).ifPresent(BinDistccd::kill);
        }
        scratch.close();
    }

    /** Without -g the distributed objects are byte-identical to a plain local build. */
    @Test
    void libibertyBuiltWithMakeJ4ThroughDistccAtO2HasEveryObjectIdenticalToALocalBuild() {
        buildBothWaysAndCompare("-O2", "gcc");
    }

    /**
     * With -g a distributed object is what gcc makes from the preprocessed file, whose line tables
     * differ from a direct compile's for some files even with -gno-column-info (23 of the 66 non-pic
     * objects when measured, in .debug_line only); gcc -save-temps also compiles the preprocessed file, and matches it byte for
     * byte. Same tree path in both builds, so the debug info's directory and file names must match too.
     */
    @Test
    void withDebugInfoEveryObjectIsIdenticalToALocalBuildThatCompilesThePreprocessedFile() {
        buildBothWaysAndCompare("-O2 -g -gno-column-info", "gcc -save-temps=obj");
    }

    private void buildBothWaysAndCompare(String cflags, String localCc) {
        long started = System.nanoTime();
        Path tree = unpackLibiberty();
        Map<String, String> env = clientEnvironment();
        ProcessResult configured = run(List.of("./configure", "--enable-host-shared", "CFLAGS=" + cflags), tree,
                env, CONFIGURE_BOUND);
        assertThat(configured.exitCode()).as("configure\n%s", configured.describe()).isZero();

        long localStart = System.nanoTime();
        ProcessResult local = run(List.of("make", "-j4", "CC=" + localCc), tree, env, BUILD_BOUND);
        Duration localTime = Duration.ofNanos(System.nanoTime() - localStart);
        assertThat(local.exitCode()).as("local make\n%s", local.describe()).isZero();
        Map<String, String> localObjects = objects(tree);
        List<String> sources = sources(tree, localObjects.keySet());
        // libiberty has 66 C files for this platform; each is compiled into x.o and pic/x.o
        assertThat(sources).as("C files compiled by the local build").hasSizeGreaterThan(50);
        assertThat(localObjects).as("objects of the local build").hasSize(2 * sources.size());

        ProcessResult cleaned = run(List.of("make", "clean"), tree, env, BUILD_BOUND);
        assertThat(cleaned.exitCode()).as("make clean\n%s", cleaned.describe()).isZero();
        assertThat(objects(tree)).as("objects left by make clean").isEmpty();

        BinDistccd.Daemon daemon = BinDistccd.startDaemon(scratch.dir("server-run"), List.of(),
                BinDistccd.environment(scratch.dir("server-tmp"), Map.of()));
        pidFile = daemon.pidFile();
        Map<String, String> distccEnv = new HashMap<>(env);
        distccEnv.put("DISTCC_HOSTS", "127.0.0.1:" + daemon.port());
        distccEnv.put("DISTCC_DIR", scratch.dir("client/distcc-dir").toString());
        distccEnv.put("TMPDIR", scratch.dir("client/tmp").toString());
        String distcc = Path.of(System.getProperty("jdistcc.home"), "bin", "distcc").toString();

        long distccStart = System.nanoTime();
        ProcessResult distributed = run(List.of("make", "-j4", "CC=" + distcc + " gcc"), tree, distccEnv,
                BUILD_BOUND);
        Duration distccTime = Duration.ofNanos(System.nanoTime() - distccStart);
        assertThat(distributed.exitCode()).as("make through distcc\n%s\nserver log:\n%s", distributed.describe(),
                daemon.log()).isZero();
        Map<String, String> remoteObjects = objects(tree);

        assertThat(remoteObjects.keySet()).as("objects of the distcc build").isEqualTo(localObjects.keySet());
        List<String> differing = localObjects.keySet().stream()
                .filter(o -> !localObjects.get(o).equals(remoteObjects.get(o))).toList();
        assertThat(differing).as("objects that differ from the local build's (of %d); make's stderr:\n%s",
                localObjects.size(), distributed.stderr()).isEmpty();

        // the server logs a job after it has replied: the client may finish a moment before
        int expected = (int) Math.ceil(REMOTE_SHARE * localObjects.size());
        try {
            Poll.until(Duration.ofSeconds(10), () -> remoteJobs(daemon).size() >= localObjects.size(), () -> "");
        } catch (AssertionError fewerThanAll) {
            // some compiles may legitimately have run locally: checked below
        }
        List<String> remote = remoteJobs(daemon);
        assertThat(remote).as("COMPILE_OK jobs in the server log; make's stderr:\n%s\nserver log:\n%s",
                distributed.stderr(), daemon.log()).hasSizeGreaterThanOrEqualTo(expected);
        Set<String> sourceNames = new TreeSet<>();
        sources.forEach(s -> sourceNames.add("./" + s));
        assertThat(new TreeSet<>(remote)).as("inputs of the remote jobs").isSubsetOf(sourceNames);

        System.out.printf("RealProjectBuildIT [CFLAGS=%s, local CC=%s]: %d C files, %d objects compared, all"
                        + " identical; %d compiled remotely; make -j4 local %.1f s, through distcc %.1f s;"
                        + " test %.1f s%n", cflags, localCc, sources.size(), localObjects.size(), remote.size(),
                localTime.toMillis() / 1000.0, distccTime.toMillis() / 1000.0,
                (System.nanoTime() - started) / 1e9);
    }

    /** Unpacks libiberty and what it needs from the binutils tarball; returns the libiberty directory. */
    private Path unpackLibiberty() {
        Path tarball;
        try (Stream<Path> files = Files.list(BINUTILS_SOURCE)) {
            tarball = files.filter(p -> p.getFileName().toString().matches("binutils-[0-9.]+\\.tar\\.xz"))
                    .findFirst().orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("no binutils-*.tar.xz in " + BINUTILS_SOURCE
                    + ": install Debian's binutils-source (tools/install-deps)", e);
        }
        String top = tarball.getFileName().toString().replace(".tar.xz", "");
        Path dest = scratch.dir("src");
        List<String> command = new ArrayList<>(List.of("tar", "-xJf", tarball.toString(), "-C", dest.toString()));
        MEMBERS.forEach(m -> command.add(top + "/" + m));
        ProcessResult r = run(command, dest, Processes.baseEnvironment(dest), Processes.DEFAULT_TIMEOUT);
        assertThat(r.exitCode()).as("unpacking\n%s", r.describe()).isZero();
        return dest.resolve(top).resolve("libiberty");
    }

    /** The environment of configure and both makes: the base one, with the JDK for bin/distcc. */
    private Map<String, String> clientEnvironment() {
        Map<String, String> env = new HashMap<>(Processes.baseEnvironment(scratch.dir("home")));
        for (String name : List.of("JDISTCC_JAVA_HOME", "JAVA_HOME")) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        return env;
    }

    private static ProcessResult run(List<String> command, Path dir, Map<String, String> env, Duration bound) {
        try (RunningProcess p = RunningProcess.start(command, dir, env)) {
            return p.await(bound);
        }
    }

    /** The .c files that the objects were compiled from (x.o and pic/x.o both come from x.c). */
    private static List<String> sources(Path tree, Set<String> objects) {
        Set<String> names = new TreeSet<>();
        for (String object : objects) {
            String source = Path.of(object).getFileName().toString().replaceAll("\\.o$", ".c");
            assertThat(tree.resolve(source)).as("the source of %s", object).isRegularFile();
            names.add(source);
        }
        return List.copyOf(names);
    }

    /** Every .o under {@code tree} (relative path) with the SHA-256 of its bytes. */
    private static Map<String, String> objects(Path tree) {
        Map<String, String> objects = new TreeMap<>();
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.filter(p -> p.toString().endsWith(".o") && Files.isRegularFile(p)).toList()) {
                objects.put(tree.relativize(p).toString(), sha256(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The input file of every COMPILE_OK job in the daemon's log, in log order. */
    private static List<String> remoteJobs(BinDistccd.Daemon daemon) {
        List<String> inputs = new ArrayList<>();
        daemon.log().lines().forEach(line -> {
            Matcher m = COMPILE_OK.matcher(line);
            if (m.find()) {
                inputs.add(m.group(1));
            }
        });
        return inputs;
    }
}
