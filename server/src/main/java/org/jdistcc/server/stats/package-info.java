/**
 * distccd's statistics: {@link org.jdistcc.server.stats.ServerStats} counts what the job
 * connections report ({@link org.jdistcc.server.job.JobEvents}), and
 * {@link org.jdistcc.server.stats.StatsServer} serves it on {@code --stats-port} in two forms:
 * distccd 3.4's page ({@link org.jdistcc.server.stats.StatsPage}: same fields, order and format, so
 * existing scrapers keep working) and, for {@code GET /metrics}, the Prometheus text format. The
 * machine's own figures on the stock page (load, processes, disk, free space) come from
 * {@link org.jdistcc.server.stats.SystemFigures}, which reads {@code /proc} as distccd does.
 */
package org.jdistcc.server.stats;
