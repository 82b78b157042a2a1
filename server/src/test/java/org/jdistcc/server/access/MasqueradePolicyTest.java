package org.jdistcc.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jdistcc.protocol.Printable;

class MasqueradePolicyTest {
    @TempDir
    Path dir;

    private MasqueradePolicy policy;

    @BeforeEach
    void makeMasqueradeDirectory() throws IOException {
        executable(dir.resolve("gcc"));
        executable(dir.resolve("x86_64-linux-gnu-gcc"));
        Files.writeString(dir.resolve("notexec"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("notexec"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(dir.resolve("cc"), dir.resolve("gcc"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        Files.createDirectory(dir.resolve("subdir"));
        policy = new MasqueradePolicy(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gcc", "/usr/bin/gcc", "/bin/gcc", "/USR/BIN/gcc", "/Usr/Bin/gcc", "/BIN/gcc"})
    void nameInTheDirectoryIsAllowedAsTheBareName(String argv0) {
        assertThat(policy.decide(argv0)).isEqualTo(new CompilerDecision.Allowed("gcc"));
    }

    @Test
    void symlinkToAnExecutableIsAllowed() {
        assertThat(policy.decide("/usr/bin/cc")).isEqualTo(new CompilerDecision.Allowed("cc"));
        assertThat(policy.decide("x86_64-linux-gnu-gcc"))
                .isEqualTo(new CompilerDecision.Allowed("x86_64-linux-gnu-gcc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/usr/local/bin/gcc", "../../bin/sh", "/usr/bin/../../bin/sh", "./gcc",
        "/usr/bin//gcc", "/opt/bin/gcc", "bin/gcc", "/usr/b\u0131n/gcc", "/usr/bin/x/gcc"})
    void anyOtherPathIsRefused(String argv0) {
        assertThat(policy.decide(argv0)).isEqualTo(new CompilerDecision.Refused("compiler name <"
                + Printable.of(argv0)
                + "> cannot be an absolute path (or must set DISTCC_CMDLIST or pass --enable-tcp-insecure)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"notexec", "nosuchcc", "subdir", "dangling", "/usr/bin/nosuchcc", "GCC"})
    void nameWithoutAnExecutableFileInTheDirectoryIsRefused(String argv0) {
        String name = MasqueradePolicy.stripped(argv0);
        assertThat(policy.decide(argv0))
                .isEqualTo(new CompilerDecision.Refused(name + " not in " + dir + " whitelist"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "/usr/bin/", "/bin/..", "gcc\0", "gc\nc", "\u007f", "gcc\t"})
    void emptyDotAndControlNamesAreRefused(String argv0) {
        assertThat(policy.decide(argv0)).isInstanceOf(CompilerDecision.Refused.class);
    }

    @Test
    void refusalReasonCannotForgeALogLine() {
        var decision = (CompilerDecision.Refused) policy.decide("/x\nCRITICAL forged");
        assertThat(decision.reason()).doesNotContain("\n").contains("\\x0a");
    }

    @Test
    void missingDirectoryRefusesEverything() {
        var missing = new MasqueradePolicy(dir.resolve("absent"));
        assertThat(missing.decide("gcc")).isInstanceOf(CompilerDecision.Refused.class);
    }

    @Test
    void standardPolicyUsesUsrLibDistcc() {
        assertThat(MasqueradePolicy.standard().directory()).isEqualTo(Path.of("/usr/lib/distcc"));
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
