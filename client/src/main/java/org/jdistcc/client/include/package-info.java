/**
 * Include analysis for pump mode (reference §7): for one compile command, the source and header
 * files the compile may read, so that the server can preprocess in a mirror of this machine's files.
 * It follows distcc's include server in spirit and is our own code: every {@code #include} of every
 * reached file counts whatever the conditionals around it say, and a computed include is expanded
 * with every {@code #define} seen in the files reached so far and on the command line, so the set
 * over-approximates what the preprocessor reads. Files under the compiler's default system
 * directories are left to the server, as stock distcc leaves them.
 *
 * <p>The pure parts ({@link org.jdistcc.client.include.DirectiveScanner},
 * {@link org.jdistcc.client.include.MacroExpander}, {@link org.jdistcc.client.include.IncludeOptions})
 * take strings and bytes; {@link org.jdistcc.client.include.IncludeAnalyzer} reads the file system
 * and keeps what it parsed across jobs, checked against each file's stamp (modification time, size,
 * inode) at every use. When it cannot be sure of the answer it says "plain mode" and why.
 */
package org.jdistcc.client.include;
