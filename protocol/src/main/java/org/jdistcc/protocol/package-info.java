/**
 * The distcc wire protocol, versions 1 to 3: 12-byte packet headers (a 4-letter token and 8 hex
 * digits), string and file bodies, headerless LZO1X bodies, and the request and response of one
 * job as records with their readers and writers.
 *
 * <p>Everything here reads and writes {@link java.io.InputStream}s and {@link java.io.OutputStream}s:
 * no sockets, threads or processes, so TCP, an SSH pipe and a byte array in a test look the same.
 * Every length and count read from the stream is checked against {@link org.jdistcc.protocol.Limits}
 * before anything is allocated for it. {@link org.jdistcc.protocol.ExitCode} is distcc's exit-code
 * table, shared by client and server. The one class with a thread is
 * {@link org.jdistcc.protocol.Watchdog}, which bounds each blocking read and write of a stream, as
 * {@code DISTCC_IO_TIMEOUT} asks of both sides.
 */
package org.jdistcc.protocol;
