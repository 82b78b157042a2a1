package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CidrMaskPropertyTest {

    @Property(tries = 3000)
    void anyStringEitherParsesOrFailsWithIllegalArgument(@ForAll String spec) {
        parsesOrFailsAsDocumented(spec);
    }

    @Property(tries = 5000)
    void maskLikeStringsEitherParseOrFailWithIllegalArgument(@ForAll("maskLike") String spec) {
        parsesOrFailsAsDocumented(spec);
    }

    @Property(tries = 2000)
    void canonicalTextParsesBackToTheSameMask(@ForAll("masks") CidrMask mask) {
        assertThat(CidrMask.parse(mask.toString())).isEqualTo(mask);
        assertThat(mask.matches(mask.network())).isTrue();
    }

    @Provide
    Arbitrary<String> maskLike() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF.:/[]%x ").ofMaxLength(60);
    }

    @Provide
    Arbitrary<CidrMask> masks() {
        Arbitrary<byte[]> bytes = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16));
        return Combinators.combine(bytes, Arbitraries.integers().between(0, 128)).as((b, prefix) ->
                new CidrMask(AddressLiteral.toAddress(b), Math.min(prefix, b.length * 8)));
    }

    private static void parsesOrFailsAsDocumented(String spec) {
        CidrMask mask;
        try {
            mask = CidrMask.parse(spec);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("invalid allow mask '");
            return;
        }
        assertThat(CidrMask.parse(mask.toString())).isEqualTo(mask);
        InetAddress network = mask.network();
        assertThat(mask.matches(network)).isTrue();
    }
}
