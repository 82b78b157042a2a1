/**
 * Prometheus text exposition, format 0.0.4: {@link org.jdistcc.metrics.PrometheusText} writes
 * families of counters, gauges and histograms, and {@link org.jdistcc.metrics.Histogram} keeps
 * the buckets of one histogram. JDK only and free of sockets, so that distccd's stats port and the
 * client's agent can both expose what they count. The caller keeps its own counters and writes a
 * page from them when scraped; nothing here is global.
 */
package org.jdistcc.metrics;
