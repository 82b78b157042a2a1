package org.jdistcc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jdistcc.protocol.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's environment variables (reference §4.1). */
class ClientSettingsTest {

    private static ClientSettings settings(String... pairs) throws ClientException {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", "/home/u");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ClientSettings.from(env);
    }

    @Test
    void defaultsAreDistccs() throws ClientException {
        ClientSettings s = settings();

        assertThat(s.fallback()).isTrue();
        assertThat(s.skipLocalRetry()).isFalse();
        assertThat(s.backoffPeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.ioTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.pause()).isEqualTo(Duration.ofMillis(1000));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.saveTemps()).isFalse();
        assertThat(s.verbose()).isFalse();
        assertThat(s.logFile()).isNull();
        assertThat(s.tmpDir()).isEqualTo(Path.of("/tmp"));
        assertThat(s.distccDir()).isEqualTo(Path.of("/home/u/.distcc"));
        assertThat(s.distccDirGiven()).isFalse();
        assertThat(s.rewriteCross()).isTrue();
    }

    @ParameterizedTest(name = "DISTCC_FALLBACK={0} -> {1}")
    @CsvSource({"0, false", "1, true", "no, true", "'', true", "00, true"})
    void fallbackIsOffOnlyForZero(String value, boolean fallback) throws ClientException {
        assertThat(settings("DISTCC_FALLBACK", value).fallback()).isEqualTo(fallback);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0", "", "yes"})
    void skipLocalRetryIsOnWhenSetToAnything(String value) throws ClientException {
        assertThat(settings("DISTCC_SKIP_LOCAL_RETRY", value).skipLocalRetry()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", ""})
    void noRewriteCrossTurnsTheRewriteOffWhenSetToAnything(String value) throws ClientException {
        assertThat(settings("DISTCC_NO_REWRITE_CROSS", value).rewriteCross()).isFalse();
        // the man page's misspelling is not read
        assertThat(settings("DISTCC_NO_CROSS_REWRITE", value).rewriteCross()).isTrue();
    }

    @ParameterizedTest(name = "DISTCC_BACKOFF_PERIOD={0} -> {1} s")
    @CsvSource({"0, 0", "1, 1", "' 5 ', 5", "-3, 60", "junk, 60", "'', 60"})
    void backoffPeriodIsWholeSecondsWithZeroMeaningOff(String value, long seconds) throws ClientException {
        assertThat(settings("DISTCC_BACKOFF_PERIOD", value).backoffPeriod()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "DISTCC_PAUSE_TIME_MSEC={0} -> {1} ms")
    @CsvSource({"0, 0", "50, 50", "-1, 1000", "x, 1000"})
    void pauseTimeIsMilliseconds(String value, long millis) throws ClientException {
        assertThat(settings("DISTCC_PAUSE_TIME_MSEC", value).pause()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "DISTCC_CONNECT_TIMEOUT={0} -> {1} s")
    @CsvSource({"10, 10", "0, 1", "junk, 4"})
    void connectTimeoutIsAtLeastOneSecond(String value, long seconds) throws ClientException {
        assertThat(settings("DISTCC_CONNECT_TIMEOUT", value).connectTimeout()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void ioTimeoutIsReadInSeconds() throws ClientException {
        assertThat(settings("DISTCC_IO_TIMEOUT", "2").ioTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings("DISTCC_IO_TIMEOUT", " 7 ").ioTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "99999999999"})
    void badIoTimeoutIsABadArgument(String value) {
        assertThatThrownBy(() -> settings("DISTCC_IO_TIMEOUT", value))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_ARGUMENTS);
                    assertThat(e.exitCode().code()).isEqualTo(101);
                    assertThat(e.getMessage()).contains("DISTCC_IO_TIMEOUT").contains(value);
                });
    }

    @Test
    void distccDirGivenIsUsedAsItIs() throws ClientException {
        ClientSettings s = settings("DISTCC_DIR", "/srv/d");

        assertThat(s.distccDir()).isEqualTo(Path.of("/srv/d"));
        assertThat(s.distccDirGiven()).isTrue();
    }

    @Test
    void emptyDistccDirMeansTheDefault() throws ClientException {
        ClientSettings s = settings("DISTCC_DIR", "");

        assertThat(s.distccDir()).isEqualTo(Path.of("/home/u/.distcc"));
        assertThat(s.distccDirGiven()).isFalse();
    }

    @Test
    void emptyTmpdirMeansSlashTmp() throws ClientException {
        assertThat(settings("TMPDIR", "").tmpDir()).isEqualTo(Path.of("/tmp"));
        assertThat(settings("TMPDIR", "/var/tmp/x").tmpDir()).isEqualTo(Path.of("/var/tmp/x"));
    }

    @Test
    void logFileIsTakenUnlessEmpty() throws ClientException {
        assertThat(settings("DISTCC_LOG", "/tmp/d.log").logFile()).isEqualTo(Path.of("/tmp/d.log"));
        assertThat(settings("DISTCC_LOG", "").logFile()).isNull();
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({"DISTCC_VERBOSE, 1, true", "DISTCC_VERBOSE, 2, false", "DISTCC_SAVE_TEMPS, 1, true",
            "DISTCC_SAVE_TEMPS, yes, false"})
    void verboseAndSaveTempsTakeOnlyOne(String name, String value, boolean on) throws ClientException {
        ClientSettings s = settings(name, value);
        assertThat(name.equals("DISTCC_VERBOSE") ? s.verbose() : s.saveTemps()).isEqualTo(on);
    }
}
