/**
 * {@code distccmon-text}: the jobs in flight of every distcc client of this user and machine (stock
 * or jdistcc, from the state files in {@code $DISTCC_DIR/state}) in stock's format
 * ({@link org.jdistcc.monitor.MonitorText}); a live view of hosts, jobs and recent fallbacks
 * ({@link org.jdistcc.monitor.TopView}, a pure function of a {@link org.jdistcc.monitor.TopSnapshot}
 * that {@link org.jdistcc.monitor.TopReader} reads); and the client agent's metrics file.
 */
package org.jdistcc.monitor;
