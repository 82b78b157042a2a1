package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jdistcc.server.access.CidrMaskTest.address;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {
    private static final AllowList PRIVATE = AllowList.of(AllowList.privateRanges());

    @Test
    void privateRangesAreMastersSevenIncludingIpv6Loopback() {
        assertThat(AllowList.privateRanges()).map(CidrMask::toString).containsExactly(
                "192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "127.0.0.0/8",
                "fe80::/10", "fc00::/7", "::1/128");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "192.168.0.1", "192.168.255.255", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
        "127.0.0.1", "127.255.0.1", "fe80::1", "febf::1", "fc00::1", "fd12:3456:789a::1", "::1",
        "::ffff:192.168.1.1",
    })
    void privateRangesLetPrivateClientsIn(String client) {
        assertThat(PRIVATE.check(address(client))).isInstanceOf(AccessDecision.Allowed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "192.169.0.1", "11.0.0.1", "172.15.255.255", "172.32.0.1", "128.0.0.1", "8.8.8.8", "0.0.0.0",
        "fec0::1", "fe00::1", "::2", "::", "2001:db8::1", "::ffff:8.8.8.8", "::127.0.0.1",
    })
    void privateRangesRefusePublicClients(String client) {
        assertThat(PRIVATE.check(address(client))).isInstanceOf(AccessDecision.Refused.class);
    }

    @Test
    void ipv6LoopbackIsAllowedUnlikeDistcc34() {
        assertThat(PRIVATE.check(address("::1")))
                .isEqualTo(new AccessDecision.Allowed(CidrMask.parse("::1/128")));
    }

    @Test
    void ipv4MappedPrivateClientIsAllowedByTheIpv4Range() throws UnknownHostException {
        var mapped = Inet6Address.getByAddress(null, AddressLiteral.bytes("::ffff:10.1.2.3"), -1);
        assertThat(PRIVATE.check(mapped)).isEqualTo(new AccessDecision.Allowed(CidrMask.parse("10.0.0.0/8")));
    }

    @Test
    void emptyListRefusesEveryone() {
        AllowList empty = AllowList.of(List.of());
        assertThat(empty.isEmpty()).isTrue();
        for (String client : List.of("127.0.0.1", "10.0.0.1", "::1", "8.8.8.8", "2001:db8::1")) {
            assertThat(empty.check(address(client))).isInstanceOf(AccessDecision.Refused.class);
        }
    }

    @Test
    void refusalNamesTheClientInDistccsWords() {
        AllowList list = AllowList.of(List.of(CidrMask.parse("192.168.0.0/16")));
        assertThat(list.check(address("10.0.0.1")))
                .isEqualTo(new AccessDecision.Refused("connection from client '10.0.0.1' denied by access list"));
        assertThat(list.check(address("2001:db8:0:0:0:0:0:1")))
                .isEqualTo(new AccessDecision.Refused("connection from client '2001:db8::1' denied by access list"));
    }

    @Test
    void reverseOrderDoesNotMatterForAllowedOrRefused() {
        List<CidrMask> masks = new ArrayList<>(List.of(
                CidrMask.parse("10.113.0.0/16"), CidrMask.parse("10.0.0.0/8"), CidrMask.parse("192.168.1.64/28"),
                CidrMask.parse("2001:db8::/32"), CidrMask.parse("127.0.0.1")));
        AllowList forward = AllowList.of(masks);
        Collections.reverse(masks);
        AllowList backward = AllowList.of(masks);
        for (String client : List.of("10.113.1.1", "10.1.1.1", "11.1.1.1", "192.168.1.70", "192.168.1.7",
                "2001:db8::5", "2001:db9::5", "127.0.0.1", "127.0.0.2")) {
            assertThat(backward.check(address(client)).getClass())
                    .as(client)
                    .isEqualTo(forward.check(address(client)).getClass());
        }
    }

    @Test
    void lastGivenMatchingMaskIsReportedAsInDistcc() {
        AllowList list = AllowList.of(List.of(CidrMask.parse("10.0.0.0/8"), CidrMask.parse("10.113.0.0/16")));
        assertThat(list.check(address("10.113.1.1")))
                .isEqualTo(new AccessDecision.Allowed(CidrMask.parse("10.113.0.0/16")));
        assertThat(list.check(address("10.1.1.1")))
                .isEqualTo(new AccessDecision.Allowed(CidrMask.parse("10.0.0.0/8")));
    }

    @Test
    void listKeepsTheMasksInTheOrderGiven() {
        List<CidrMask> masks = List.of(CidrMask.parse("10.0.0.0/8"), CidrMask.parse("::1"));
        assertThat(AllowList.of(masks).masks()).isEqualTo(masks);
    }
}
