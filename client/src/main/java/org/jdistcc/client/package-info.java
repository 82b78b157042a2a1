/**
 * The distcc client engine: what one {@code distcc} invocation does, wherever it runs (in its own
 * JVM through {@code DistccMain}, or in the resident agent behind the native front-end).
 *
 * <ul>
 *   <li>{@link org.jdistcc.client.DistccClient} reads the invocation ({@link org.jdistcc.client.Invocation}:
 *       argv, directory, environment, streams, umask) and its settings, and hands a compile to
 *       {@link org.jdistcc.client.Compilation}, which decides local or remote, takes a host slot,
 *       preprocesses ({@link org.jdistcc.client.Preprocessed}) or prepares pump mode
 *       ({@link org.jdistcc.client.PumpMode}), sends the job ({@link org.jdistcc.client.RemoteJob}),
 *       writes its outputs ({@link org.jdistcc.client.OutputFile}), and falls back to a local compile
 *       ({@link org.jdistcc.client.LocalRun}) when distribution fails.</li>
 *   <li>Sub-packages: host specs ({@code hosts}), slots and backoff ({@code schedule}), transports
 *       ({@code transport}), include analysis ({@code include}), what monitors see ({@code state}),
 *       the agent ({@code agent}).</li>
 * </ul>
 */
package org.jdistcc.client;
