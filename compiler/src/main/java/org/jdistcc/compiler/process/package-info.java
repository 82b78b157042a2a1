/**
 * Running a compiler: the {@link org.jdistcc.compiler.process.CommandRunner} seam, the one place that
 * starts processes, and the wait status it reports. Everything that runs a compiler (the server's
 * job, later the client's local fallback) goes through it, so tests can substitute their own.
 */
package org.jdistcc.compiler.process;
