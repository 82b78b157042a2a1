package org.jdistcc.client.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.jdistcc.client.hosts.HostSpec.Options;
import org.jdistcc.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;

class HostSpecTest {
    private static final Options LZO = new Options(true, false, false, false, Optional.empty());
    private static final Options PUMP = new Options(true, true, false, false, Optional.empty());

    @Test
    void localhostSpeaksVersionOneAndLocksAsLocalhost() {
        HostSpec local = new HostSpec.Local(2, "localhost");

        assertThat(local.protocol()).isEqualTo(ProtocolVersion.V1);
        assertThat(local.lockName()).isEqualTo("localhost");
        assertThat(local.down()).isFalse();
    }

    @Test
    void tcpLockNameHasHostAndPort() {
        assertThat(new HostSpec.Tcp("angry", 4200, 4, Options.NONE, "angry:4200").lockName()).isEqualTo("tcp_angry_4200");
    }

    @Test
    void sshLockNameHasOnlyTheHost() {
        HostSpec ssh = new HostSpec.Ssh(Optional.of("ted"), "angry", Optional.of("/x/distccd"), 4, PUMP, "ted@angry:/x/distccd");

        assertThat(ssh.lockName()).isEqualTo("ssh_angry");
        assertThat(ssh.protocol()).isEqualTo(ProtocolVersion.V3);
    }

    @Test
    void optionsChooseTheProtocol() {
        assertThat(Options.NONE.protocol()).isEqualTo(ProtocolVersion.V1);
        assertThat(LZO.protocol()).isEqualTo(ProtocolVersion.V2);
        assertThat(PUMP.protocol()).isEqualTo(ProtocolVersion.V3);
    }

    @Test
    void cppWithoutLzoCannotBeBuilt() {
        assertThatThrownBy(() -> new Options(false, true, false, false, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pump mode (',cpp') requires compression (',lzo')");
    }

    @Test
    void authNameNeedsAuth() {
        assertThatThrownBy(() -> new Options(false, false, false, false, Optional.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsRefuseWhatCouldNeverConnect() {
        assertThatThrownBy(() -> new HostSpec.Tcp(" ", 3632, 4, Options.NONE, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostSpec.Tcp("a", 0, 4, Options.NONE, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostSpec.Tcp("a", 65536, 4, Options.NONE, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostSpec.Tcp("a", 3632, 0, Options.NONE, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostSpec.Local(0, "localhost/0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostSpec.Ssh(Optional.empty(), "", Optional.empty(), 4, Options.NONE, "@"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sshRemoteCommandDefaultsToDistccd() {
        HostSpec.Ssh plain = new HostSpec.Ssh(Optional.empty(), "h", Optional.empty(), 4, Options.NONE, "@h");
        HostSpec.Ssh custom = new HostSpec.Ssh(Optional.empty(), "h", Optional.of("/opt/distccd"), 4, Options.NONE, "@h:/opt/distccd");

        assertThat(plain.remoteCommand()).isEqualTo("distccd");
        assertThat(custom.remoteCommand()).isEqualTo("/opt/distccd");
    }

    @Test
    void everySwitchOverHostSpecIsExhaustive() {
        HostSpec host = new HostSpec.Tcp("a", 1, 1, LZO, "a:1/1,lzo");

        String kind = switch (host) {
            case HostSpec.Local l -> "local";
            case HostSpec.Tcp t -> "tcp";
            case HostSpec.Ssh s -> "ssh";
        };

        assertThat(kind).isEqualTo("tcp");
    }
}
