/**
 * Compiler command lines as distcc 3.4 understands them: file-name classification
 * ({@link org.jdistcc.compiler.Filenames}), the argument scanner that decides between distributing
 * a job and running it locally ({@link org.jdistcc.compiler.ArgumentScanner}), and the pure argv
 * rewrites done on the client ({@link org.jdistcc.compiler.ClientArguments}) and on the server
 * ({@link org.jdistcc.compiler.ServerArguments}).
 *
 * <p>Everything here is pure: lists of strings in, values out; no files, processes or environment.
 * Client and server share the scanner, so its behaviour, quirks included, must match stock distcc.
 */
package org.jdistcc.compiler;
