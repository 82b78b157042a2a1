package org.jdistcc.client;

import java.io.IOException;
import org.jdistcc.protocol.Response;

/**
 * Puts a job's {@code .d} file in place once its object is written: in plain mode the one the local
 * preprocessor wrote, in pump mode the one the server returned (DOTD).
 */
interface DependencyOutput {
    void commit(Response response) throws IOException;
}
