package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jdistcc.protocol.Printable;

class CidrMaskTest {

    /** distcc's ParseMask_Case (test/testdistcc.py), plus "anything" for /0 spelled out. */
    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "127.0.0.1,       127.0.0.1,     allowed",
        "127.0.0.1,       127.0.0.0,     denied",
        "127.0.0.1,       127.0.0.2,     denied",
        "127.0.0.1/8,     127.0.0.2,     allowed",
        "10.113.0.0/16,   10.113.45.67,  allowed",
        "10.113.0.0/16,   10.11.45.67,   denied",
        "10.113.0.0/16,   127.0.0.1,     denied",
        "1.2.3.4/0,       0.0.0.0,       allowed",
        "1.2.3.4/0,       4.3.2.1,       allowed",
        "1.2.3.4/0,       255.255.255.255, allowed",
        "1.2.3.4/8,       4.3.2.1,       denied",
        "192.168.1.64/28, 192.168.1.70,  allowed",
        "192.168.1.64/28, 192.168.1.7,   denied",
    })
    void parseMaskCaseTable(String mask, String client, String expected) {
        assertThat(CidrMask.parse(mask).matches(address(client))).isEqualTo(expected.equals("allowed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4/40", "1.2.3.4.5.6.7/8"})
    void parseMaskCaseBadArgumentsAreRejected(String spec) {
        assertThatThrownBy(() -> CidrMask.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + spec + "'");
    }

    @Test
    void maskLongerThanAddressIsRejected() {
        assertThatThrownBy(() -> CidrMask.parse("1.2.3.4/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid allow mask '1.2.3.4/33': mask length 33 is beyond the 32 bits of an IPv4 address");
        assertThatThrownBy(() -> CidrMask.parse("::1/129"))
                .hasMessageContaining("mask length 129 is beyond the 128 bits of an IPv6 address");
        assertThatThrownBy(() -> CidrMask.parse("::ffff:1.2.3.4/129"))
                .hasMessageContaining("mask length 129 is beyond the 128 bits of an IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/8", "1.2.3", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/8/8", "1.2.3.4/0008",
        "256.1.1.1", "1.2.3.-4", "01.2.3.4", "127.1", "0x7f.0.0.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/ 8",
        "1..2.3", "1.2.3.4.", "localhost", "example.com/8", "\uff11.2.3.4", "1.2.3.4/\u0668",
        "[::1", "::1]", "[1.2.3.4]/8", "[]", "[::1]]/8", "fe80::1%eth0", "fe80::1%1/64",
        ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "12345::",
        "::g", ":1::", "1::2:", "1.2.3.4::", "::1.2.3.4:5", "::1.2.3", "::ffff:1.2.3.256",
        "1:2:3:4:5:6:7:1.2.3.4", "\0", "1.2.3.4\0",
    })
    void malformedSpecsAreRejectedNamingTheSpec(String spec) {
        assertThatThrownBy(() -> CidrMask.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid allow mask '" + Printable.of(spec) + "': ");
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        assertThatThrownBy(() -> CidrMask.parse("localhost/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressLiteral.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeInputFailsQuickly() {
        String huge = "1".repeat(10_000_000) + "/8";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThatThrownBy(() -> CidrMask.parse(huge)).hasMessageContaining("too long"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "127.0.0.1/8,               127.0.0.0/8",
        "1.2.3.4,                   1.2.3.4/32",
        "10.113.45.67/16,           10.113.0.0/16",
        "0.0.0.0/0,                 0.0.0.0/0",
        "1.2.3.4/0,                 0.0.0.0/0",
        "192.168.1.70/28,           192.168.1.64/28",
        "::1,                       ::1/128",
        "[::1]/128,                 ::1/128",
        "[fe80::1],                 fe80::1/128",
        "fe80::1234/10,             fe80::/10",
        "FC00::/7,                  fc00::/7",
        "::/0,                      ::/0",
        "2001:DB8:0:0:1:0:0:1/128,  2001:db8::1:0:0:1/128",
        "2001:db8:0:0:0:0:2:1,      2001:db8::2:1/128",
        "2001:0db8:0000:0001:0:0:0:0/64, 2001:db8:0:1::/64",
        "1:0:0:2:0:0:0:3,           1:0:0:2::3/128",
        "1:2:3:4:5:6:7:8,           1:2:3:4:5:6:7:8/128",
        "1:2:3:4:5:6:7::,           1:2:3:4:5:6:7:0/128",
        "::ffff:10.1.2.3/104,       10.0.0.0/8",
        "::ffff:10.1.2.3,           10.1.2.3/32",
        "[::ffff:10.1.2.3]/120,     10.1.2.0/24",
        "::ffff:0:0/96,             0.0.0.0/0",
        "::ffff:1.2.3.4/80,         ::/80",
        "::ffff:1.2.3.4/88,         ::ff00:0:0/88",
        "::1.2.3.4,                 ::102:304/128",
        "64:ff9b::192.0.2.33,       64:ff9b::c000:221/128",
    })
    void toStringIsTheCanonicalAddressAndLength(String spec, String canonical) {
        assertThat(CidrMask.parse(spec)).hasToString(canonical);
        assertThat(CidrMask.parse(canonical)).isEqualTo(CidrMask.parse(spec));
    }

    @Test
    void networkBitsBeyondThePrefixAreIgnored() {
        assertThat(CidrMask.parse("127.0.0.1/8")).isEqualTo(CidrMask.parse("127.9.9.9/8"));
        assertThat(CidrMask.parse("127.0.0.1/8").matches(address("127.0.0.2"))).isTrue();
        assertThat(CidrMask.parse("fe80::1/10").matches(address("febf::ffff"))).isTrue();
    }

    @Test
    void ipv4MappedSpecsBecomeIpv4Masks() {
        CidrMask mask = CidrMask.parse("::ffff:10.0.0.0/104");
        assertThat(mask.network()).isInstanceOf(Inet4Address.class);
        assertThat(mask.prefixLength()).isEqualTo(8);
        assertThat(mask.matches(address("10.200.0.1"))).isTrue();
        assertThat(mask.matches(address("11.0.0.1"))).isFalse();
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "::1,            ::1,              allowed",
        "::1,            ::2,              denied",
        "[::1]/128,      ::1,              allowed",
        "[::1]/128,      127.0.0.1,        denied",
        "fe80::/10,      fe80::1,          allowed",
        "fe80::/10,      febf:1:2:3::4,    allowed",
        "fe80::/10,      fec0::1,          denied",
        "fc00::/7,       fd12:3456::1,     allowed",
        "fc00::/7,       fe00::1,          denied",
        "2001:db8::/32,  2001:db8:ffff::1, allowed",
        "2001:db8::/32,  2001:db9::1,      denied",
        "2001:db8::/33,  2001:db8:8000::,  denied",
        "2001:db8::/33,  2001:db8:7fff::,  allowed",
        "::/0,           2001:db8::1,      allowed",
        "fc00::/7,       10.0.0.1,         denied",
        "10.0.0.0/8,     fc00::a00:1,      denied",
        "10.0.0.0/8,     ::10.0.0.1,       denied",
    })
    void ipv6MasksMatchByPrefix(String mask, String client, String expected) {
        assertThat(CidrMask.parse(mask).matches(address(client))).isEqualTo(expected.equals("allowed"));
    }

    @Test
    void ipv4MaskMatchesTheSameClientArrivingAsIpv4MappedIpv6() throws UnknownHostException {
        // the JDK turns ::ffff:a.b.c.d into an Inet4Address; a dual-stack socket may still hand
        // us an Inet6Address, which is the case distcc master fixed
        InetAddress mapped = Inet6Address.getByAddress(null, AddressLiteral.bytes("::ffff:192.168.1.70"), -1);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(CidrMask.parse("192.168.1.64/28").matches(mapped)).isTrue();
        assertThat(CidrMask.parse("192.168.1.0/28").matches(mapped)).isFalse();
        assertThat(CidrMask.parse("192.168.1.70").matches(mapped)).isTrue();
        assertThat(CidrMask.parse("1.2.3.4/0").matches(mapped)).isTrue();
        assertThat(CidrMask.parse("::ffff:192.168.0.0/112").matches(mapped)).isTrue();
    }

    @Test
    void ipv4MaskDoesNotMatchPlainIpv6Clients() {
        assertThat(CidrMask.parse("0.0.0.0/0").matches(address("::1"))).isFalse();
        assertThat(CidrMask.parse("0.0.0.0/0").matches(address("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv6MaskCoveringTheMappedRangeMatchesIpv4ClientsAsADualStackSocketSeesThem() {
        assertThat(CidrMask.parse("::/0").matches(address("10.1.2.3"))).isTrue();
        assertThat(CidrMask.parse("::/80").matches(address("10.1.2.3"))).isTrue();
        assertThat(CidrMask.parse("::/96").matches(address("10.1.2.3"))).isFalse();
        assertThat(CidrMask.parse("::/81").matches(address("10.1.2.3"))).isFalse();
    }

    @Test
    void constructorNormalisesAndChecksTheLength() throws UnknownHostException {
        InetAddress v4 = InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
        assertThat(new CidrMask(v4, 8)).isEqualTo(CidrMask.parse("10.0.0.0/8"));
        assertThatThrownBy(() -> new CidrMask(v4, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CidrMask(v4, 33)).isInstanceOf(IllegalArgumentException.class);
        InetAddress scoped = Inet6Address.getByAddress(null, AddressLiteral.bytes("fe80::1"), 3);
        assertThat(new CidrMask(scoped, 64)).hasToString("fe80::/64");
    }

    static InetAddress address(String literal) {
        return AddressLiteral.parse(literal);
    }
}
