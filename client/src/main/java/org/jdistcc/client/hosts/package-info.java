/**
 * The host list: where it comes from ({@link org.jdistcc.client.hosts.HostListSource}), its
 * grammar ({@link org.jdistcc.client.hosts.HostSpecParser}) and what it means ({@link
 * org.jdistcc.client.hosts.HostList} of {@link org.jdistcc.client.hosts.HostSpec}s: {@code
 * localhost}, TCP and SSH hosts with their slots, options, protocol version and lock names).
 *
 * <p>This is distcc's {@code hosts.c}, and only that: choosing a host, slot locks and backoff live
 * in {@code org.jdistcc.client.schedule}. Everything here is pure apart from reading the host file;
 * nothing is resolved through DNS, and the environment arrives as a map. Every invalid list is a
 * {@link org.jdistcc.client.hosts.BadHostSpecException}, exit code 106, whose message names the bad
 * word.
 */
package org.jdistcc.client.hosts;
