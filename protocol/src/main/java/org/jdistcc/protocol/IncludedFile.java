package org.jdistcc.protocol;

/**
 * One NAME entry of a pump (v3) request: the absolute client-side path of a file the compile may
 * read, with either its contents (FILE, held uncompressed here) or a symbolic link target (LINK).
 */
public sealed interface IncludedFile {
    /** Absolute path on the client. */
    String name();

    /** A regular file and its uncompressed contents. */
    record Contents(String name, byte[] contents) implements IncludedFile {
    }

    /** A symbolic link and its target, absolute or relative, as the client read it. */
    record Link(String name, String target) implements IncludedFile {
    }
}
