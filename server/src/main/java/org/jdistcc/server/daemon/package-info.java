/**
 * How jobs reach distccd: the TCP listener (address check before anything is read, a bound on open
 * connections, per-wait I/O timeouts), one job over stdin and stdout for inetd and SSH, detaching
 * into the background once listening, and the pid file.
 */
package org.jdistcc.server.daemon;
