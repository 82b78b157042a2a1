package org.jdistcc.client.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6LiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "::", "::1", "1::", "fe80::1", "2001:db8::42", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "::ffff:10.0.0.1", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "FE80::ABCD", "fe80::1%eth0", "fe80::1%2",
        "fe80::1%br-lan.1_x",
    })
    void wellFormedLiteralsAreAccepted(String text) {
        assertThat(Ipv6Literal.isValid(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ":", ":::", "1", "1.2.3.4", "1:2", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "1::2::3", ":1::", "1::2:", "12345::", "::g", "g::", "::1.2.3", "::1.2.3.256", "1.2.3.4::", "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4", "::1%", "::1%eth 0", "::1%eth/0", "\uff11::", "::\u0661", "fe80::1%\u00e9",
    })
    void malformedLiteralsAreRejected(String text) {
        assertThat(Ipv6Literal.isValid(text)).isFalse();
    }
}
