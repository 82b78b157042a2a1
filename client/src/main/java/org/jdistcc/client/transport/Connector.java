package org.jdistcc.client.transport;

import java.io.IOException;
import org.jdistcc.client.hosts.HostSpec;

/** Opens a connection to a remote host of the host list, for one job. */
public interface Connector {
    /**
     * Connects to {@code host}.
     *
     * @throws IOException if no connection could be made (within the connect timeout, for TCP)
     * @throws IllegalArgumentException if this connector does not handle that kind of host
     */
    Connection connect(HostSpec host) throws IOException;
}
