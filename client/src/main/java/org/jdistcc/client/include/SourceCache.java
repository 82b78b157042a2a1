package org.jdistcc.client.include;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contents and directives of every file include analysis read, kept across the jobs of a build
 * and used again only while the file's stamp (modification time, size, inode) is the one it had when
 * read, so an edited header is read again at its next use. Bounded: past {@link #MAX_BYTES} of
 * contents everything is dropped and read again as needed. Safe for concurrent jobs.
 */
final class SourceCache {
    static final long MAX_BYTES = 256L << 20;

    /** What identifies one version of a file without reading it. */
    record Stamp(long modifiedNanos, long size, Object fileKey) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(), a.fileKey());
        }
    }

    /** One file as read: its stamp, its bytes and its directives. */
    record Source(Stamp stamp, byte[] contents, List<Directive> directives) {
    }

    private final Map<Path, Source> sources = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    /** The file at {@code real} (a path without symbolic links), read again if it changed. */
    Source get(Path real) throws IOException {
        Stamp stamp = Stamp.of(Files.readAttributes(real, BasicFileAttributes.class));
        Source cached = sources.get(real);
        if (cached != null && cached.stamp().equals(stamp)) {
            return cached;
        }
        byte[] contents = Files.readAllBytes(real);
        Stamp after = Stamp.of(Files.readAttributes(real, BasicFileAttributes.class));
        Source s = new Source(after, contents, DirectiveScanner.scan(contents));
        reads.incrementAndGet();
        if (!Objects.equals(stamp, after)) {
            return s; // changed while read: use it for this job, do not keep it
        }
        if (bytes.addAndGet(contents.length) > MAX_BYTES) {
            sources.clear();
            bytes.set(contents.length);
        }
        Source old = sources.put(real, s);
        if (old != null) {
            bytes.addAndGet(-old.contents().length);
        }
        return s;
    }

    /** How many times a file was read and parsed (not served from the cache). */
    long reads() {
        return reads.get();
    }
}
