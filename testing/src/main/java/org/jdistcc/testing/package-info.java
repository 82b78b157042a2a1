/**
 * Helpers the tests of several modules share: streams that give one byte at a time, a capture proxy
 * for golden byte captures, a scripted distcc server that misbehaves on purpose, hostile requests
 * and arguments, the stock Debian {@code distccd} as a peer, and a fake clock.
 */
package org.jdistcc.testing;
