/**
 * distccd's log: distcc's six levels, one line per message in distcc's shape
 * ({@code distccd[pid] (where) LEVEL: message}), written to a file, to stderr or to syslog through
 * {@code logger(1)}. Thread-safe; a message is one write.
 */
package org.jdistcc.server.log;
