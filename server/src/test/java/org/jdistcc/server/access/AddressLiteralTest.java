package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0.0.0,                 0.0.0.0",
        "255.255.255.255,         255.255.255.255",
        "::,                      ::",
        "::1,                     ::1",
        "1::,                     1::",
        "0:0:0:0:0:0:0:1,         ::1",
        "1:0:0:0:0:0:0:0,         1::",
        "1:0:1:0:0:1:0:0,         1:0:1::1:0:0",
        "1:0:0:1:0:0:1:1,         1::1:0:0:1:1",
        "ABCD:EF01:2345:6789:abcd:ef01:2345:6789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
        "2001:db8:0:1:1:1:1:1,    2001:db8:0:1:1:1:1:1",
        "::ffff:1.2.3.4,          1.2.3.4",
        "::ffff:102:304,          1.2.3.4",
    })
    void parsesAndFormatsNumerically(String literal, String formatted) {
        assertThat(AddressLiteral.format(AddressLiteral.parse(literal))).isEqualTo(formatted);
    }

    @Test
    void formatsAnIpv4MappedInet6AddressInMixedNotation() throws UnknownHostException {
        InetAddress mapped = Inet6Address.getByAddress(null, AddressLiteral.bytes("::ffff:1.2.3.4"), -1);
        assertThat(AddressLiteral.format(mapped)).isEqualTo("::ffff:1.2.3.4");
    }

    @Test
    void mappedLiteralsBecomeInet4AddressesAsInTheJdk() {
        assertThat(AddressLiteral.parse("::ffff:1.2.3.4")).isInstanceOf(Inet4Address.class);
        assertThat(AddressLiteral.parse("::1")).isInstanceOf(Inet6Address.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "1.2.3", "1.2.3.04", "[::1]", "::1%lo", "1:2:3:4:5:6:7:8:9"})
    void nonLiteralsAreRefused(String text) {
        assertThatThrownBy(() -> AddressLiteral.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a numeric IP address");
    }
}
