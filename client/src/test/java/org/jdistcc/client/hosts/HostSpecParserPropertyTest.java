package org.jdistcc.client.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HostSpecParserPropertyTest {

    @Property(tries = 3000)
    void anyStringEitherParsesOrFailsWithBadHostSpec(@ForAll String text) {
        parsesOrFailsAsDocumented(text);
    }

    @Property(tries = 5000)
    void hostListLikeStringsEitherParseOrFailWithBadHostSpec(@ForAll("hostListLike") String text) {
        parsesOrFailsAsDocumented(text);
    }

    @Property(tries = 2000)
    void wordsBuiltFromTheGrammarParseBackToTheirParts(@ForAll("tcpWords") List<Object> parts) throws Exception {
        String host = (String) parts.get(0);
        int slots = (Integer) parts.get(1);
        int port = (Integer) parts.get(2);
        boolean slotsFirst = (Boolean) parts.get(3);
        String options = (String) parts.get(4);
        String word = slotsFirst ? host + "/" + slots + ":" + port + options : host + ":" + port + "/" + slots + options;

        HostSpec.Tcp tcp = (HostSpec.Tcp) HostSpecParser.parse(word).hosts().get(0);

        assertThat(tcp.host()).isEqualTo(host);
        assertThat(tcp.slots()).isEqualTo(slots);
        assertThat(tcp.port()).isEqualTo(port);
        assertThat(tcp.token()).isEqualTo(word);
        assertThat(tcp.options().lzo()).isEqualTo(options.contains("lzo"));
    }

    /** Every cut of a valid list, as a truncated file would give, parses or fails as documented. */
    @Example
    void everyPrefixOfAValidListParsesOrFailsWithBadHostSpec() {
        String list = "--randomize --localslots=3 localhost/2 127.0.0.1 ted@angry/3:/opt/distccd,lzo\n"
                + "# comment\n[::1]:3700/8,lzo,cpp angry/44:300,down +zeroconf --localslots_cpp=9 x,auth=svc";
        for (int end = 0; end <= list.length(); end++) {
            parsesOrFailsAsDocumented(list.substring(0, end));
        }
    }

    @Provide
    Arbitrary<String> hostListLike() {
        return Arbitraries.strings().withChars("ab1:/=,@[]#.-+ \t\n%lzocpdwnuthLZ09").ofMaxLength(60)
                .map(s -> s.replace("lz", "lzo,").replace("cp", "cpp"));
    }

    @Provide
    Arbitrary<List<Object>> tcpWords() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcxyz0123456789.-_").ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.startsWith("-") && !s.equals("localhost"));
        Arbitrary<String> options = Arbitraries.of("", ",lzo", ",lzo,cpp", ",cpp,lzo", ",down", ",lzo,down,auth=svc");
        return Combinators.combine(names, Arbitraries.integers().between(1, HostSpecParser.MAX_SLOTS),
                Arbitraries.integers().between(1, 65535), Arbitraries.of(true, false), options)
                .as(List::of);
    }

    private static void parsesOrFailsAsDocumented(String text) {
        HostList list;
        try {
            list = HostSpecParser.parse(text);
        } catch (BadHostSpecException e) {
            assertThat(e.getMessage()).matches("[\\x20-\\x7e]+");
            return;
        }
        if (list.hosts().isEmpty()) {
            assertThat(list.zeroconf()).as("only +zeroconf may leave the list empty").isTrue();
        }
        for (HostSpec host : list.hosts()) {
            assertThat(text).contains(host.token());
            assertThat(host.slots()).isBetween(1, HostSpecParser.MAX_SLOTS);
            assertThat(host.lockName()).doesNotContain("/");
        }
    }
}
