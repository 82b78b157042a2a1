package org.jdistcc.server.job;

import java.time.Duration;
import org.jdistcc.protocol.Request;
import org.jdistcc.protocol.Response;

/**
 * What happens on the job connections, as it happens, for statistics. The listener reports a
 * connection's life ({@link #connected} and {@link #disconnected} in matched pairs, bytes as they
 * cross the socket, the {@link #finished} report); the job handler reports the steps of the job.
 * Calls come from the connection's own thread; they must be fast and must not throw. Every method
 * does nothing by default.
 */
public interface JobEvents {
    /** Ignores every event. */
    JobEvents NONE = new JobEvents() {
    };

    /** A client connected; counted before the access check, as distccd's {@code dcc_tcp_accept}. */
    default void connected() {
    }

    /** The connection is closed, whatever happened on it. */
    default void disconnected() {
    }

    /** The connection was refused before any job was read (the allow list). */
    default void refused(Refusal reason) {
    }

    /** {@code bytes} more arrived from the client, as sent (compressed bodies compressed). */
    default void bytesReceived(long bytes) {
    }

    /** {@code bytes} more went to the client, as sent. */
    default void bytesSent(long bytes) {
    }

    /** The whole request was read; its bodies are held uncompressed. */
    default void requestRead(Request request) {
    }

    /** The job got a compile slot after waiting {@code wait} for it. */
    default void slotAcquired(Duration wait) {
    }

    /** The compiler ran for {@code time}, whatever its outcome. */
    default void compilerRan(Duration time) {
    }

    /** The reply was written; its bodies are held uncompressed. */
    default void replySent(Response response) {
    }

    /** The job is over; refused jobs carry their {@link JobReport#refusal}. */
    default void finished(JobReport report) {
    }
}
