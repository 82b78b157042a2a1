package org.jdistcc.server.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The daemon's log. Lines look like distccd's: {@code distccd[4170] (where) ERROR: message}. Writes
 * are synchronized so lines of concurrent jobs never interleave; a failing sink never fails a job.
 */
public final class Log {
    private final OutputStream sink;
    private final Level threshold;
    private final long pid;

    public Log(OutputStream sink, Level threshold, long pid) {
        this.sink = sink;
        this.threshold = threshold;
        this.pid = pid;
    }

    /** A log to stderr. */
    public static Log toStderr(Level threshold) {
        return new Log(new PrintStream(System.err, true, StandardCharsets.UTF_8), threshold, ProcessHandle.current().pid());
    }

    /** A log appending to {@code file}. */
    public static Log toFile(Path file, Level threshold) throws IOException {
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new Log(out, threshold, ProcessHandle.current().pid());
    }

    /**
     * A log to syslog's daemon facility through {@code logger(1)}, as distccd logs by default; null if
     * logger cannot be started.
     */
    public static Log toSyslog(Level threshold) {
        long pid = ProcessHandle.current().pid();
        try {
            Process logger = new ProcessBuilder("logger", "--id=" + pid, "-t", "distccd", "-p", "daemon.notice")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Log(logger.getOutputStream(), threshold, pid);
        } catch (IOException e) {
            return null;
        }
    }

    /** A log that discards everything. */
    public static Log discard() {
        return new Log(OutputStream.nullOutputStream(), Level.CRITICAL, 0);
    }

    /** An I/O failure as an operator reads it: "FILE: Permission denied" rather than a bare path. */
    public static String describe(IOException e) {
        String what = switch (e) {
            case java.nio.file.AccessDeniedException a -> "Permission denied";
            case java.nio.file.NoSuchFileException n -> "No such file or directory";
            case java.nio.file.FileAlreadyExistsException f -> "File exists";
            case java.nio.file.FileSystemException f -> f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
        return e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " + what : what;
    }

    public Level threshold() {
        return threshold;
    }

    public boolean enabled(Level level) {
        return level.atLeast(threshold);
    }

    public void log(Level level, String where, String message) {
        if (!enabled(level)) {
            return;
        }
        String line = "distccd[" + pid + "] (" + where + ") " + level.prefix() + message + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                sink.write(bytes);
                sink.flush();
            } catch (IOException ignored) {
                // a log that cannot be written must not take a job down with it
            }
        }
    }

    public void critical(String where, String message) {
        log(Level.CRITICAL, where, message);
    }

    public void error(String where, String message) {
        log(Level.ERROR, where, message);
    }

    public void warning(String where, String message) {
        log(Level.WARNING, where, message);
    }

    public void notice(String where, String message) {
        log(Level.NOTICE, where, message);
    }

    public void info(String where, String message) {
        log(Level.INFO, where, message);
    }

    public void debug(String where, String message) {
        log(Level.DEBUG, where, message);
    }
}
