package org.jdistcc.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * distcc's client messages: {@code distcc[pid] (where) Warning: ...} on stderr for warnings and
 * errors; with {@code DISTCC_LOG} everything from info up goes to that file instead; with
 * {@code DISTCC_VERBOSE=1} debug lines too. Scripts grep some of these words, so keep them.
 * {@link #close()} closes the DISTCC_LOG file it opened (never the caller's stderr): one engine may
 * serve many invocations in one process, and each must give its file back.
 */
public final class ClientLog implements AutoCloseable {
    /** distcc's levels, most severe first. */
    public enum Level { ERROR, WARNING, INFO, DEBUG }

    private final OutputStream sink;
    private final Level threshold;
    private final long pid;
    private final boolean ownsSink;

    ClientLog(OutputStream sink, Level threshold, long pid) {
        this(sink, threshold, pid, false);
    }

    private ClientLog(OutputStream sink, Level threshold, long pid, boolean ownsSink) {
        this.sink = sink;
        this.threshold = threshold;
        this.pid = pid;
        this.ownsSink = ownsSink;
    }

    /** The log an invocation asks for: its DISTCC_LOG file, else its stderr. */
    static ClientLog open(ClientSettings settings, OutputStream stderr, long pid) {
        Level threshold = settings.verbose() ? Level.DEBUG : Level.WARNING;
        if (settings.logFile() != null) {
            try {
                OutputStream file = Files.newOutputStream(settings.logFile(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                return new ClientLog(file, settings.verbose() ? Level.DEBUG : Level.INFO, pid, true);
            } catch (IOException | RuntimeException e) {
                ClientLog fallback = new ClientLog(stderr, threshold, pid);
                fallback.warning("dcc_set_output", "failed to open logfile " + settings.logFile() + ": " + e.getMessage());
                return fallback;
            }
        }
        return new ClientLog(stderr, threshold, pid);
    }

    public boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    public void log(Level level, String where, String message) {
        if (!enabled(level)) {
            return;
        }
        String prefix = switch (level) {
            case ERROR -> "ERROR: ";
            case WARNING -> "Warning: ";
            default -> "";
        };
        byte[] line = ("distcc[" + pid + "] (" + where + ") " + prefix + message + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                sink.write(line);
                sink.flush();
            } catch (IOException ignored) {
                // a lost log line must not fail a build
            }
        }
    }

    public void error(String where, String message) {
        log(Level.ERROR, where, message);
    }

    public void warning(String where, String message) {
        log(Level.WARNING, where, message);
    }

    public void info(String where, String message) {
        log(Level.INFO, where, message);
    }

    public void debug(String where, String message) {
        log(Level.DEBUG, where, message);
    }

    /** Closes the log file this log opened, if any; the caller's stderr stays open. */
    @Override
    public void close() {
        if (!ownsSink) {
            return;
        }
        synchronized (this) {
            try {
                sink.close();
            } catch (IOException ignored) {
                // a log that cannot be closed must not fail a build
            }
        }
    }
}
