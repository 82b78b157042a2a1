package org.jdistcc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.server.access.CmdListPolicy;
import org.jdistcc.server.access.InsecureAnyCompilerPolicy;
import org.jdistcc.server.access.MasqueradePolicy;
import org.jdistcc.server.log.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path tmp;
    Path masquerade;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        masquerade = Files.createDirectory(tmp.resolve("masq"));
        env.put("PATH", "/usr/bin:/bin");
    }

    private ServerConfig parse(String... args) throws StartupException {
        String[] all = new String[args.length + 2];
        all[0] = "--masquerade-dir";
        all[1] = masquerade.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return ServerConfig.from(DistccdOptions.parse(all), env, false, 2, false);
    }

    private ExitCode failure(String... args) {
        try {
            parse(args);
        } catch (StartupException e) {
            return e.exitCode();
        }
        throw new AssertionError("expected a start-up failure");
    }

    @Test
    void defaultsAreDistccdsDefaults() throws Exception {
        ServerConfig c = parse("--allow", "127.0.0.1");
        assertThat(c.port()).isEqualTo(3632);
        assertThat(c.jobs()).isEqualTo(4);
        assertThat(c.jobSettings().nice()).isEqualTo(5);
        assertThat(c.ioTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.logLevel()).isEqualTo(Level.NOTICE);
        assertThat(c.detach()).isTrue();
        assertThat(c.inetd()).isFalse();
        assertThat(c.jobSettings().tmpDir()).isEqualTo(Path.of("/tmp"));
        assertThat(c.jobSettings().compilers()).isEqualTo(new MasqueradePolicy(masquerade));
    }

    @Test
    void daemonWithoutAllowRefusesToStartAndSaysWhy() {
        assertThatThrownBy(() -> parse("--daemon"))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("--allow is required")
                .extracting(e -> ((StartupException) e).exitCode()).isEqualTo(ExitCode.BAD_ARGUMENTS);
    }

    @Test
    void inetdNeedsNoAllowBecauseSshIsTheAccessCheck() throws Exception {
        ServerConfig c = parse("--inetd");
        assertThat(c.inetd()).isTrue();
        assertThat(c.allowListGiven()).isFalse();
        assertThat(c.allowList().isEmpty()).isTrue();
    }

    @Test
    void allowPrivateCoversLoopbackIncludingIpv6() throws Exception {
        ServerConfig c = parse("--allow-private");
        assertThat(c.allowList().check(InetAddress.getByName("::1")))
                .isInstanceOf(org.jdistcc.server.access.AccessDecision.Allowed.class);
        assertThat(c.allowList().check(InetAddress.getByName("8.8.8.8")))
                .isInstanceOf(org.jdistcc.server.access.AccessDecision.Refused.class);
    }

    @Test
    void badMasksAndPortsAreBadArguments() {
        assertThat(failure("--allow", "1.2.3.4/40")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(failure("--allow", "1.2.3.4.5.6.7/8")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(failure("--allow", "example.com")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(failure("--allow", "127.0.0.1", "--port", "80000")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(failure("--allow", "127.0.0.1", "--port", "0")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(failure("--allow", "127.0.0.1", "--jobs", "0")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(failure("--allow", "127.0.0.1", "--listen", "localhost")).isEqualTo(ExitCode.BAD_ARGUMENTS);
    }

    @Test
    void ioTimeoutComesFromTheEnvironmentAndMustBePositive() throws Exception {
        env.put("DISTCC_IO_TIMEOUT", "7");
        assertThat(parse("--allow", "127.0.0.1").ioTimeout()).isEqualTo(Duration.ofSeconds(7));
        env.put("DISTCC_IO_TIMEOUT", "0");
        assertThat(failure("--allow", "127.0.0.1")).isEqualTo(ExitCode.BAD_ARGUMENTS);
        env.put("DISTCC_IO_TIMEOUT", "soon");
        assertThat(failure("--allow", "127.0.0.1")).isEqualTo(ExitCode.BAD_ARGUMENTS);
    }

    @Test
    void missingMasqueradeDirectoryIsCompilerMissingUnlessInsecure() throws Exception {
        Files.delete(masquerade);
        assertThat(failure("--allow", "127.0.0.1")).isEqualTo(ExitCode.COMPILER_MISSING);
        ServerConfig c = parse("--allow", "127.0.0.1", "--enable-tcp-insecure");
        assertThat(c.jobSettings().compilers()).isInstanceOf(InsecureAnyCompilerPolicy.class);
        assertThat(c.warnings()).anyMatch(w -> w.contains("--enable-tcp-insecure"));
    }

    @Test
    void cmdlistReplacesTheMasqueradeDirectory() throws Exception {
        Path list = Files.writeString(tmp.resolve("cmdlist"), "/usr/bin/gcc\n");
        env.put("DISTCC_CMDLIST", list.toString());
        assertThat(parse("--allow", "127.0.0.1").jobSettings().compilers()).isInstanceOf(CmdListPolicy.class);
        env.put("DISTCC_CMDLIST", tmp.resolve("absent").toString());
        assertThat(failure("--allow", "127.0.0.1")).isEqualTo(ExitCode.BAD_ARGUMENTS);
    }

    @Test
    void distccdPathReplacesPathForCompilers() throws Exception {
        env.put("DISTCCD_PATH", "/opt/cc/bin");
        assertThat(parse("--allow", "127.0.0.1").jobSettings().path()).isEqualTo("/opt/cc/bin");
    }

    @Test
    void compilersAreNicedUnlessTheLauncherNicedTheWholeDaemon() throws Exception {
        assertThat(parse("--allow", "127.0.0.1", "--nice", "7").jobSettings().nice()).isEqualTo(7);
        env.put("JDISTCC_NICE_APPLIED", "7");
        assertThat(parse("--allow", "127.0.0.1", "--nice", "7").jobSettings().nice()).isZero();
        assertThat(parse("--allow", "127.0.0.1", "--nice", "3").jobSettings().nice()).isEqualTo(3);
    }

    @Test
    void anOptionGivenTwiceTakesItsLastValueAsDistccdDoes() throws Exception {
        assertThat(parse("--allow", "127.0.0.1", "--port", "4000", "--port", "4001").port()).isEqualTo(4001);
    }

    @Test
    void wizardIsForegroundDebugToStderr() throws Exception {
        ServerConfig c = parse("--wizard", "--allow", "127.0.0.1");
        assertThat(c.detach()).isFalse();
        assertThat(c.logStderr()).isTrue();
        assertThat(c.logLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void anInvalidLogLevelIsOnlyAWarning() throws Exception {
        ServerConfig c = parse("--allow", "127.0.0.1", "--log-level", "chatty");
        assertThat(c.logLevel()).isEqualTo(Level.NOTICE);
        assertThat(c.warnings()).anyMatch(w -> w.contains("chatty"));
    }

    @Test
    void unknownOptionExits101WithTheStockMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DistccdMain.run(new String[] {"--bogus"}, env, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(101);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("distccd: ERROR: --bogus: unknown option\n");
    }

    @Test
    void versionStartsWithTheLineDistccsTestSuiteMatches() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = DistccdMain.run(new String[] {"--version"}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .matches("(?s)distccd 3\\.4 [a-z0-9_]+-[a-z]+-linux-gnu\n  \\(protocols 1, 2 and 3\\) \\(default port 3632\\)\n.*");
    }

    @Test
    void helpShowsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = DistccdMain.run(new String[] {"--help"}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage:", "--allow", "--masquerade-dir");
    }
}
