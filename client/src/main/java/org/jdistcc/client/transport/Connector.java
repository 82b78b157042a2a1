package org.jdistcc.client.transport;

import java.io.IOException;

/** Opens connections to one kind of host. */
public interface Connector {
    /**
     * Connects to {@code host} on {@code port}.
     *
     * @throws IOException if no connection could be made within the connect timeout
     */
    Connection connect(String host, int port) throws IOException;
}
