/**
 * One job on the server: read the request, decide whether it may run (argument scan, compiler
 * allow-list, forbidden arguments), compile it in a private temporary directory under a job slot,
 * reply, and remove every temporary file on every path. Pump jobs (protocol 3) also get a fake
 * root that their files are confined to ({@code FakeRoot}). Knows streams, not sockets.
 */
package org.jdistcc.server.job;
