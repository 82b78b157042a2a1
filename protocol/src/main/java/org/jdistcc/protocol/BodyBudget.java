package org.jdistcc.protocol;

/**
 * Memory a reader may spend on bodies on behalf of one peer. A reader claims bytes as they actually
 * arrive (and as decompression buffers grow), before it allocates them; a budget that is spent
 * refuses the claim with a {@link ProtocolException}, which ends that one connection. A server
 * shares one budget among all its connections so that many large requests at once cannot exhaust
 * the heap; a client reading one response needs none.
 */
@FunctionalInterface
public interface BodyBudget {
    /** No accounting. */
    BodyBudget UNLIMITED = (token, bytes) -> { };

    /**
     * Claims {@code bytes} more for a body of {@code token}.
     *
     * @throws ProtocolException if the budget cannot cover them
     */
    void claim(Token token, long bytes) throws ProtocolException;
}
