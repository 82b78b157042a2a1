/**
 * What the client tells monitors: the state of each job in flight, the recent fallbacks, and the
 * metrics.
 *
 * <ul>
 *   <li>{@link org.jdistcc.client.state.JobEvents}: the seam the engine ({@code Compilation})
 *       reports a job's phases, fallback, backoffs, bytes and outcome through;
 *       {@link org.jdistcc.client.state.JobRecorder} records them, one per job, made by
 *       {@link org.jdistcc.client.state.Monitoring}, one per process.</li>
 *   <li>{@link org.jdistcc.client.state.StateDirectory}: {@code $DISTCC_DIR/state/binstate_<pid>},
 *       the files of distcc 3.4's monitor, in its binary layout
 *       ({@link org.jdistcc.client.state.TaskStateCodec}, x86-64), so stock {@code distccmon-text}
 *       shows our jobs and ours shows stock's. The agent runs many jobs in one process, so each job's
 *       file is named for the pid of the front-end that make started for it, which is also what a
 *       monitor checks for life.</li>
 *   <li>{@link org.jdistcc.client.state.FallbackLog}: {@code $DISTCC_DIR/state/fallbacks}, the recent
 *       fallbacks with their reasons, bounded.</li>
 *   <li>{@link org.jdistcc.client.state.ClientMetrics} and
 *       {@link org.jdistcc.client.state.MetricsFile}: counters in the Prometheus text format, in
 *       {@code $DISTCC_DIR/metrics/jdistcc-client.prom}.</li>
 * </ul>
 * Time comes from an injected {@link java.time.Clock} and every directory from the caller.
 */
package org.jdistcc.client.state;
