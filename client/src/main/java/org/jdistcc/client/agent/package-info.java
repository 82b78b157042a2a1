/**
 * The resident per-user agent behind the native {@code distcc} front-end (native/distcc.c): one JVM
 * per {@code $DISTCC_DIR} that runs the client engine for every compile of a build, so jobs pay a
 * Unix-socket round trip instead of a JVM start, and share slots in memory. The front-end sends the
 * invocation (argv, cwd, environment, umask); the agent relays stdout and stderr back, asks the
 * front-end to run local commands itself (they then inherit its terminal, stdin and signals), and
 * ends with the exit status. docs/agent.md has the exchange and the reasoning.
 */
package org.jdistcc.client.agent;
