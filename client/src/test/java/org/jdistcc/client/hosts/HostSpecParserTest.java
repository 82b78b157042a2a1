package org.jdistcc.client.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdistcc.client.hosts.HostSpec.Options;
import org.jdistcc.protocol.ExitCode;
import org.jdistcc.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostSpecParserTest {

    /** distcc 3.4's ParseHostSpec_Case (test/testdistcc.py): the same text, the same h_hosts output. */
    @Test
    void parseHostSpecCaseGivesDistccsExpectedOutput() throws Exception {
        String spec = """
                localhost 127.0.0.1 @angry   ted@angry
                \t@angry:/home/mbp/bin/distccd  angry:4204
                ipv4-localhost
                angry/44
                angry:300/44
                angry/44:300
                angry,lzo
                angry:3000,lzo    # some comment
                angry/44,lzo
                @angry,lzo#asdasd
                # oh yeah nothing here
                @angry:/usr/sbin/distccd,lzo
                localhostbutnotreally
                """;

        assertThat(HostsFormat.lines(HostSpecParser.parse(spec))).containsExactly(
                "16",
                "   2 LOCAL",
                "   4 TCP 127.0.0.1 3632",
                "   4 SSH (no-user) angry (no-command)",
                "   4 SSH ted angry (no-command)",
                "   4 SSH (no-user) angry /home/mbp/bin/distccd",
                "   4 TCP angry 4204",
                "   4 TCP ipv4-localhost 3632",
                "  44 TCP angry 3632",
                "  44 TCP angry 300",
                "  44 TCP angry 300",
                "   4 TCP angry 3632",
                "   4 TCP angry 3000",
                "  44 TCP angry 3632",
                "   4 SSH (no-user) angry (no-command)",
                "   4 SSH (no-user) angry /usr/sbin/distccd",
                "   4 TCP localhostbutnotreally 3632");
    }

    /** The summary table of the reference (section 3.2), one word at a time, plus a few more. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost                      |   2 LOCAL
            localhost/7                    |   7 LOCAL
            localhost/3,lzo,cpp            |   3 LOCAL
            localhost,lzo                  |   4 TCP localhost 3632
            localhost:3632                 |   4 TCP localhost 3632
            127.0.0.1                      |   4 TCP 127.0.0.1 3632
            @angry                         |   4 SSH (no-user) angry (no-command)
            ted@angry                      |   4 SSH ted angry (no-command)
            @angry:/home/mbp/bin/distccd   |   4 SSH (no-user) angry /home/mbp/bin/distccd
            ted@angry/8:/opt/bin/distccd,lzo |   8 SSH ted angry /opt/bin/distccd
            @angry:                        |   4 SSH (no-user) angry (no-command)
            first.last@build-01.example.com |   4 SSH first.last build-01.example.com (no-command)
            angry:4204                     |   4 TCP angry 4204
            angry/44                       |  44 TCP angry 3632
            angry:300/44                   |  44 TCP angry 300
            angry/44:300                   |  44 TCP angry 300
            angry/4=5                      |   5 TCP angry 3632
            angry/2:300/5                  |   5 TCP angry 300
            angry,lzo                      |   4 TCP angry 3632
            angry:3000/44,lzo,cpp          |  44 TCP angry 3000
            @angry,lzo#comment             |   4 SSH (no-user) angry (no-command)
            localhostbutnotreally          |   4 TCP localhostbutnotreally 3632
            angry:1                        |   4 TCP angry 1
            angry:65535/1000               | 1000 TCP angry 65535
            angry/007                      |   7 TCP angry 3632
            """)
    void eachHostWordParsesAsDistccPrintsIt(String word, String expected) throws Exception {
        assertThat(HostsFormat.line(single(word)).strip()).isEqualTo(expected);
    }

    /** distcc 3.4's InvalidHostSpec_Case: every one of these makes h_hosts exit 106. */
    @ParameterizedTest
    @ValueSource(strings = {"", "    ", "\t", "  @ ", ":", "mbp@", "angry::", ":4200", "\u001f", "\u001c:3632", "user@\u001d"})
    void invalidHostSpecCaseSpecsAreRejectedWithExit106(String spec) {
        BadHostSpecException e = catchThrowableOfType(BadHostSpecException.class, () -> HostSpecParser.parse(spec));
        assertThat(e).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_HOSTSPEC);
        assertThat(e.exitCode().code()).isEqualTo(106);
    }

    static Stream<Arguments> badWords() {
        return Stream.of(
                Arguments.of("@", "a host name is required after '@'"),
                Arguments.of(":", "a host name is required"),
                Arguments.of("mbp@", "a host name is required after '@'"),
                Arguments.of("angry::", "bad port \"::\": must be a number from 1 to 65535"),
                Arguments.of(":4200", "a host name is required"),
                Arguments.of(",cpp", "a host name is required"),
                Arguments.of("angry,cpp", "pump mode (',cpp') requires compression (',lzo')"),
                Arguments.of("@angry,cpp", "pump mode (',cpp') requires compression (',lzo')"),
                Arguments.of("localhost/2,cpp", "pump mode (',cpp') requires compression (',lzo')"),
                Arguments.of("angry/0", "bad multiplier \"/0\": slots must be a number from 1 to 1000"),
                Arguments.of("angry/x", "bad multiplier \"/x\""),
                Arguments.of("angry/", "bad multiplier \"/\""),
                Arguments.of("angry/-3", "bad multiplier \"/-3\""),
                Arguments.of("angry/+3", "bad multiplier \"/+3\""),
                Arguments.of("angry/1001", "bad multiplier \"/1001\""),
                Arguments.of("angry/99999999999999999999999", "bad multiplier"),
                Arguments.of("angry:300/0", "bad multiplier \"/0\""),
                Arguments.of("localhost/0", "bad multiplier \"/0\""),
                Arguments.of("@angry/0", "bad multiplier \"/0\""),
                Arguments.of("angry/4x", "unexpected \"x\" after \"angry/4\""),
                Arguments.of("angry,foo", "unrecognized option \",foo\""),
                Arguments.of("angry,lzox", "unrecognized option \",lzox\""),
                Arguments.of("angry,lzo/44", "unrecognized option \",lzo/44\""),
                Arguments.of("angry,", "unrecognized option \",\""),
                Arguments.of("angry,,lzo", "unrecognized option \",\""),
                Arguments.of("angry,LZO", "unrecognized option \",LZO\""),
                Arguments.of("angry,auth=", "the auth name after ',auth=' cannot be empty"),
                Arguments.of("angry:0", "bad port \":0\""),
                Arguments.of("angry:70000", "bad port \":70000\""),
                Arguments.of("angry:", "bad port \":\""),
                Arguments.of("angry:+1", "bad port \":+1\""),
                Arguments.of("angry:-1", "bad port \":-1\""),
                Arguments.of("angry:12x", "bad port \":12x\""),
                Arguments.of("angry:300=4", "bad port \":300=4\""),
                Arguments.of("angry:99999999999999999999", "bad port"),
                Arguments.of("angry:300/4/5", "unexpected \"/5\" after \"angry:300/4\""),
                Arguments.of("localhost/2:3632", "unexpected \":3632\" after \"localhost/2\""),
                Arguments.of("angry=4", "'=' is not allowed in host name \"angry=4\"; slots are written /N"),
                Arguments.of("a@b@c", "'@' is not allowed in host name \"b@c\""),
                Arguments.of("angry]", "']' is not allowed in host name"),
                Arguments.of("-oProxyCommand=evil", "a host name cannot start with '-'"),
                Arguments.of("@-oProxyCommand=evil", "a host name cannot start with '-'"),
                Arguments.of("[::1", "an IPv6 literal needs a closing ']'"),
                Arguments.of("[::1/4]", "an IPv6 literal needs a closing ']'"),
                Arguments.of("[]", "\"[]\" is not an IPv6 address"),
                Arguments.of("[zz::1]", "\"[zz::1]\" is not an IPv6 address"),
                Arguments.of("[1.2.3.4]", "\"[1.2.3.4]\" is not an IPv6 address"),
                Arguments.of("[::1]x", "unexpected \"x\" after \"[::1]\""),
                Arguments.of("[::1]::", "bad port \"::\""),
                Arguments.of("--localslots=0", "bad multiplier \"=0\""),
                Arguments.of("--localslots=x", "bad multiplier \"=x\""),
                Arguments.of("--localslots", "--localslots needs =N or /N, N from 1 to 1000"),
                Arguments.of("--localslotsfoo", "--localslots needs =N or /N"),
                Arguments.of("--localslots=4x", "unexpected \"x\" after \"--localslots=4\""),
                Arguments.of("--localslots_cpp=0", "bad multiplier \"=0\""),
                Arguments.of("--localslots_cpp", "--localslots_cpp needs =N or /N"),
                Arguments.of("--bogus", "unknown keyword"),
                Arguments.of("an\u0001gry", "control characters are not allowed"),
                Arguments.of("an\u007fgry", "control characters are not allowed"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badWords")
    void badWordsAreRejectedNamingTheWordAndTheReason(String word, String reason) {
        assertThatThrownBy(() -> HostSpecParser.parse("good1 " + word + " good2"))
                .isInstanceOf(BadHostSpecException.class)
                .hasMessageStartingWith("bad host specification " + BadHostSpecException.quote(word) + ": ")
                .hasMessageContaining(reason);
    }

    @Test
    void angryColonColonMessageNamesTheWord() {
        assertThatThrownBy(() -> HostSpecParser.parse("angry::"))
                .hasMessage("bad host specification \"angry::\": bad port \"::\": must be a number from 1 to 65535");
    }

    @Test
    void oneBadWordInvalidatesTheWholeList() {
        assertThatThrownBy(() -> HostSpecParser.parse("localhost a b c\nd,foo e f"))
                .isInstanceOf(BadHostSpecException.class)
                .hasMessageStartingWith("bad host specification \"d,foo\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " \t\n\r\f\u000b ", "# just a comment", "--randomize", "--localslots=2 # x"})
    void listWithoutHostsContainedNoHosts(String spec) {
        assertThatThrownBy(() -> HostSpecParser.parse(spec, "$DISTCC_HOSTS"))
                .isInstanceOf(BadHostSpecException.class)
                .hasMessage("$DISTCC_HOSTS contained no hosts; can't distribute work");
    }

    @Test
    void withoutAnOriginTheEmptyListMessageSaysTheHostList() {
        assertThatThrownBy(() -> HostSpecParser.parse(""))
                .hasMessage("the host list contained no hosts; can't distribute work");
    }

    @Test
    void zeroconfAloneIsAListWhoseHostsComeLater() throws Exception {
        HostList list = HostSpecParser.parse("+zeroconf");

        assertThat(list.zeroconf()).isTrue();
        assertThat(list.hosts()).isEmpty();
    }

    @Test
    void zeroconfMustBeTheWholeWord() throws Exception {
        assertThat(HostSpecParser.parse("a").zeroconf()).isFalse();
        assertThat(HostSpecParser.parse("+zeroconf/4").hosts()).singleElement()
                .isEqualTo(new HostSpec.Tcp("+zeroconf", 3632, 4, Options.NONE, "+zeroconf/4"));
    }

    @Test
    void ipv6LiteralTakesPortSlotsAndOptions() throws Exception {
        HostSpec host = single("[::1]:3700/8,lzo");

        assertThat(host).isEqualTo(new HostSpec.Tcp("::1", 3700, 8,
                new Options(true, false, false, false, Optional.empty()), "[::1]:3700/8,lzo"));
        assertThat(host.lockName()).isEqualTo("tcp_::1_3700");
        assertThat(host.protocol()).isEqualTo(ProtocolVersion.V2);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [::1]                    |   4 TCP ::1 3632
            [::1]/8:3700             |   8 TCP ::1 3700
            [::1]=2                  |   2 TCP ::1 3632
            [2001:db8::42]:4000,lzo  |   4 TCP 2001:db8::42 4000
            [fe80::1%eth0]           |   4 TCP fe80::1%eth0 3632
            [::ffff:10.0.0.1]/3      |   3 TCP ::ffff:10.0.0.1 3632
            [1:2:3:4:5:6:7:8]:1      |   4 TCP 1:2:3:4:5:6:7:8 1
            """)
    void ipv6LiteralsLoseTheirBrackets(String word, String expected) throws Exception {
        assertThat(HostsFormat.line(single(word)).strip()).isEqualTo(expected);
    }

    @Test
    void bothOrdersOfSlotsAndPortMeanTheSame() throws Exception {
        HostSpec.Tcp before = (HostSpec.Tcp) single("angry/44:300,lzo");
        HostSpec.Tcp after = (HostSpec.Tcp) single("angry:300/44,lzo");

        assertThat(before).usingRecursiveComparison().ignoringFields("token").isEqualTo(after);
    }

    @Test
    void optionsMayComeInAnyOrder() throws Exception {
        Options expected = new Options(true, true, true, true, Optional.of("svc"));

        for (String word : List.of("a,lzo,cpp,down,auth=svc", "a,auth=svc,down,cpp,lzo", "a,cpp,auth=svc,lzo,down")) {
            assertThat(((HostSpec.Tcp) single(word)).options()).as(word).isEqualTo(expected);
        }
        assertThat(((HostSpec.Ssh) single("u@h,down,lzo")).options())
                .isEqualTo(new Options(true, false, true, false, Optional.empty()));
    }

    @Test
    void authWithoutNameLeavesTheNameEmpty() throws Exception {
        assertThat(((HostSpec.Tcp) single("a,auth")).options())
                .isEqualTo(new Options(false, false, false, true, Optional.empty()));
    }

    @ParameterizedTest(name = "{0} speaks {1}")
    @CsvSource({
        "localhost,         V1",
        "localhost/2,       V1",
        "angry,             V1",
        "angry:3632/4,      V1",
        "'angry,lzo',       V2",
        "'angry,lzo,cpp',   V3",
        "'angry,cpp,lzo',   V3",
        "'@angry,lzo',      V2",
        "'ted@angry:/bin/distccd,lzo,cpp', V3",
        "'angry,down',      V1",
        "'angry,auth=x,lzo', V2",
    })
    void protocolVersionFollowsTheOptions(String word, ProtocolVersion expected) throws Exception {
        assertThat(single(word).protocol()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} locks as {1}")
    @CsvSource({
        "localhost,                    localhost",
        "localhost/8,                  localhost",
        "angry,                        tcp_angry_3632",
        "angry:4200/2,                 tcp_angry_4200",
        "'angry/3:4200,lzo,cpp',       tcp_angry_4200",
        "10.0.0.7,                     tcp_10.0.0.7_3632",
        "'[::1]:3700',                 tcp_::1_3700",
        "@angry,                       ssh_angry",
        "'ted@angry/2:/opt/distccd,lzo', ssh_angry",
    })
    void lockNamesAreDistccs(String word, String lockName) throws Exception {
        assertThat(single(word).lockName()).isEqualTo(lockName);
    }

    @Test
    void downHostsAreMarkedDown() throws Exception {
        assertThat(single("angry,down").down()).isTrue();
        assertThat(single("@angry,lzo,down").down()).isTrue();
        assertThat(single("angry").down()).isFalse();
        assertThat(single("localhost").down()).isFalse();
    }

    @Test
    void tokensAreTheVerbatimWordsForShowHosts() throws Exception {
        HostList list = HostSpecParser.parse("  localhost/3\tangry:300/44,lzo,cpp # note\nted@box:/opt/distccd,lzo#x\r\n");

        assertThat(list.hosts()).extracting(HostSpec::token)
                .containsExactly("localhost/3", "angry:300/44,lzo,cpp", "ted@box:/opt/distccd,lzo");
    }

    @Test
    void sshHostWithoutUserUsesSshDefault() throws Exception {
        HostSpec.Ssh host = (HostSpec.Ssh) single("@angry");

        assertThat(host.user()).isEmpty();
        assertThat(host.command()).isEmpty();
        assertThat(host.remoteCommand()).isEqualTo("distccd");
    }

    @Test
    void sshCommandRunsToTheOptions() throws Exception {
        HostSpec.Ssh host = (HostSpec.Ssh) single("ted@angry/3:/opt/my:odd/distccd=1,lzo,cpp");

        assertThat(host).isEqualTo(new HostSpec.Ssh(Optional.of("ted"), "angry", Optional.of("/opt/my:odd/distccd=1"), 3,
                new Options(true, true, false, false, Optional.empty()), "ted@angry/3:/opt/my:odd/distccd=1,lzo,cpp"));
    }

    @Test
    void randomizeKeywordIsAPrefixMatchAndSetsTheFlagOnly() throws Exception {
        HostList list = HostSpecParser.parse("--randomize a b c");

        assertThat(list.randomize()).isTrue();
        assertThat(list.hosts()).extracting(HostSpec::token).containsExactly("a", "b", "c");
        assertThat(HostSpecParser.parse("a --randomize-please b").randomize()).isTrue();
        assertThat(HostSpecParser.parse("a b").randomize()).isFalse();
    }

    @Test
    void localSlotsDefaultToFourAndEight() throws Exception {
        HostList list = HostSpecParser.parse("a");

        assertThat(list.localSlots()).isEqualTo(4);
        assertThat(list.localSlotsCpp()).isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --localslots=3 a                           | 3 | 8
            --localslots/3 a                           | 3 | 8
            --localslots_cpp=16 a                      | 4 | 16
            --localslots_cpp/16 --localslots=1 a       | 1 | 16
            a --localslots=2 --localslots=5            | 5 | 8
            """)
    void localSlotsKeywordsTakeEqualsOrSlash(String spec, int localSlots, int localSlotsCpp) throws Exception {
        HostList list = HostSpecParser.parse(spec);

        assertThat(list.localSlots()).isEqualTo(localSlots);
        assertThat(list.localSlotsCpp()).isEqualTo(localSlotsCpp);
        assertThat(list.hosts()).extracting(HostSpec::token).containsExactly("a");
    }

    @Test
    void commentsRunToTheEndOfTheLineAndEndAWord() throws Exception {
        HostList list = HostSpecParser.parse("""
                # build farm
                red/8,lzo#fast one :: not parsed @@
                  # indented comment with angry:: and mbp@
                green#no space before the comment
                blue # trailing\rlocalhost
                """);

        assertThat(list.hosts()).extracting(HostSpec::token).containsExactly("red/8,lzo", "green", "blue", "localhost");
    }

    @Test
    void multiLineFilesUseAnyWhitespaceAsSeparator() throws Exception {
        HostList list = HostSpecParser.parse("a\r\nb\n\nc\fd\u000be\t\tf   ");

        assertThat(list.hosts()).extracting(HostSpec::token).containsExactly("a", "b", "c", "d", "e", "f");
    }

    @Test
    void hostsKeepTheOrderWritten() throws Exception {
        HostList list = HostSpecParser.parse("--randomize fast/16 localhost @medium slow:4000/1");

        assertThat(list.hosts()).extracting(HostSpec::token)
                .containsExactly("fast/16", "localhost", "@medium", "slow:4000/1");
    }

    @Test
    void errorMessagesArePrintableAndShort() {
        String word = "angry,\u00e9\\\"" + "x".repeat(500);

        assertThatThrownBy(() -> HostSpecParser.parse(word))
                .hasMessageStartingWith("bad host specification \"angry,\\xe9\\\\\\\"xxx")
                .hasMessageContaining("...\"")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(2 * BadHostSpecException.MAX_QUOTED_CHARS + 100)
                        .matches("[\\x20-\\x7e]*"));
    }

    @Test
    void tooManyHostsAreRejected() {
        String spec = "a ".repeat(HostSpecParser.MAX_HOSTS + 1);

        assertThatThrownBy(() -> HostSpecParser.parse(spec)).hasMessageContaining("more than 100000 hosts");
    }

    @Test
    void theLargestAllowedListParses() throws Exception {
        HostList list = HostSpecParser.parse("a/1000 ".repeat(HostSpecParser.MAX_HOSTS));

        assertThat(list.totalSlots()).isEqualTo(100_000_000);
    }

    private static HostSpec single(String word) throws BadHostSpecException {
        List<HostSpec> hosts = HostSpecParser.parse(word).hosts();
        assertThat(hosts).hasSize(1);
        return hosts.get(0);
    }
}
