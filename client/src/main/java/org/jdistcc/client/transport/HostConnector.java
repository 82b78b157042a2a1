package org.jdistcc.client.transport;

import java.io.IOException;
import org.jdistcc.client.hosts.HostSpec;

/** The connector for any remote host of the list: TCP hosts over TCP, SSH hosts over ssh. */
public record HostConnector(Connector tcp, Connector ssh) implements Connector {
    @Override
    public Connection connect(HostSpec host) throws IOException {
        return switch (host) {
            case HostSpec.Tcp t -> tcp.connect(t);
            case HostSpec.Ssh s -> ssh.connect(s);
            case HostSpec.Local l -> throw new IllegalArgumentException("localhost is not a remote host");
        };
    }
}
