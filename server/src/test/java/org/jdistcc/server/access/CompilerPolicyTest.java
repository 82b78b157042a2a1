package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerPolicyTest {
    @TempDir
    Path dir;

    @Test
    void withoutCmdListOrInsecureTheMasqueradeDirectoryDecides() throws IOException {
        assertThat(CompilerPolicy.select(Map.of(), false, dir)).isEqualTo(new MasqueradePolicy(dir));
    }

    @Test
    void enableTcpInsecureAllowsAnyCompiler() throws IOException {
        assertThat(CompilerPolicy.select(Map.of(), true, dir)).isInstanceOf(InsecureAnyCompilerPolicy.class);
    }

    @Test
    void cmdListWinsEvenOverEnableTcpInsecure() throws IOException {
        Path file = dir.resolve("list");
        Files.writeString(file, "/usr/bin/gcc\n");
        var env = Map.of("DISTCC_CMDLIST", file.toString(), "DISTCC_CMDLIST_NUMWORDS", "2");
        CompilerPolicy policy = CompilerPolicy.select(env, true, dir);
        assertThat(policy).isInstanceOf(CmdListPolicy.class);
        assertThat(((CmdListPolicy) policy).numWords()).isEqualTo(2);
        assertThat(policy.decide("/bin/sh")).isInstanceOf(CompilerDecision.Refused.class);
    }

    @Test
    void unreadableCmdListIsAnIoExceptionAndBadNumWordsAnIllegalArgument() throws IOException {
        assertThatThrownBy(() -> CompilerPolicy.select(Map.of("DISTCC_CMDLIST", dir.resolve("absent").toString()), false, dir))
                .isInstanceOf(IOException.class);
        Path file = Files.writeString(dir.resolve("list"), "/usr/bin/gcc\n");
        assertThatThrownBy(() -> CompilerPolicy.select(
                Map.of("DISTCC_CMDLIST", file.toString(), "DISTCC_CMDLIST_NUMWORDS", "0"), false, dir))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void insecurePolicyRunsAnyNameButEmptyOrNul() {
        var policy = new InsecureAnyCompilerPolicy();
        assertThat(policy.decide("/usr/local/bin/anything")).isEqualTo(new CompilerDecision.Allowed("/usr/local/bin/anything"));
        assertThat(policy.decide("../../bin/sh")).isEqualTo(new CompilerDecision.Allowed("../../bin/sh"));
        assertThat(policy.decide("")).isInstanceOf(CompilerDecision.Refused.class);
        assertThat(policy.decide("gcc\0-evil")).isEqualTo(new CompilerDecision.Refused("compiler name gcc\\x00-evil contains NUL"));
    }
}
