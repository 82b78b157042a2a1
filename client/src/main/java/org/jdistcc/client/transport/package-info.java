/**
 * How a job reaches a server: a {@link org.jdistcc.client.transport.Connector} opens one
 * {@link org.jdistcc.client.transport.Connection}, a pair of streams, per job. TCP today; SSH is a
 * pair of streams to a child process and plugs in here without anything above knowing.
 */
package org.jdistcc.client.transport;
