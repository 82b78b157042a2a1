package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pump-mode jobs that failed on the server and then compiled here (reference §7.6). Once there are
 * {@code DISTCC_MAX_DISCREPANCY} of them (default 1), pump mode is off for the rest of the build.
 * Under {@code pump}, the build is the pump session and the count is the file
 * {@code discrepancy_counter} beside {@code $INCLUDE_SERVER_PORT}, one {@code @} per discrepancy, as
 * stock distcc keeps it (so {@code pump} reports it at the end); without it the count lives in this
 * agent and ends with it.
 */
final class Discrepancies {
    static final String COUNTER = "discrepancy_counter";
    private final AtomicInteger inAgent = new AtomicInteger();

    /** The limit from {@code DISTCC_MAX_DISCREPANCY}: a positive number, else 1. */
    static int limit(Map<String, String> env) {
        try {
            int n = Integer.parseInt(env.getOrDefault("DISTCC_MAX_DISCREPANCY", "1").trim());
            return n > 0 ? n : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The counter file of the pump session of {@code env}, if there is one. */
    static Path counterFile(Map<String, String> env) {
        String port = env.get("INCLUDE_SERVER_PORT");
        if (port == null || port.isEmpty()) {
            return null;
        }
        Path parent = Path.of(port).getParent();
        return parent == null ? null : parent.resolve(COUNTER);
    }

    /** How many discrepancies the build of {@code env} has had. */
    int count(Map<String, String> env) {
        Path f = counterFile(env);
        if (f == null) {
            return inAgent.get();
        }
        try {
            return (int) Math.min(Integer.MAX_VALUE, Files.size(f));
        } catch (IOException e) {
            return 0;
        }
    }

    boolean exceeded(Map<String, String> env) {
        return count(env) >= limit(env);
    }

    /** Counts one more. */
    void record(Map<String, String> env) throws IOException {
        Path f = counterFile(env);
        if (f == null) {
            inAgent.incrementAndGet();
            return;
        }
        Files.write(f, new byte[] {'@'}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
