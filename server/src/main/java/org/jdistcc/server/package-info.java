/**
 * {@code distccd}: its options ({@link org.jdistcc.server.DistccdOptions}, picocli), the checked
 * configuration they make ({@link org.jdistcc.server.ServerConfig}), start-up and privilege drop
 * ({@link org.jdistcc.server.DistccdMain}, {@link org.jdistcc.server.Privileges}) and the running
 * server ({@link org.jdistcc.server.DistccdServer}). Access control is in {@code access}, jobs in
 * {@code job}, the listener and modes in {@code daemon}, statistics in {@code stats}, the log in
 * {@code log}.
 */
package org.jdistcc.server;
