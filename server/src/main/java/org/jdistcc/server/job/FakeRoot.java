package org.jdistcc.server.job;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jdistcc.protocol.IncludedFile;
import org.jdistcc.protocol.Printable;

/**
 * The fake root of one pump-mode job: a private directory ({@code $TMPDIR/distccd_XXXXXX}, mode
 * 0700, named as distcc 3.4's {@code mkdtemp} names it, so that the root, and with it the run of
 * slashes it becomes in debug information, has the stock length) that stands for the client's
 * {@code /}. The client's working directory and every NAME of the request are made below it.
 *
 * <p>The rule this class keeps: nothing the request names is written anywhere but below the root.
 * NAMEs and the working directory must be absolute, without {@code .} or {@code ..}; a FILE is
 * created new (never through a link, never over an earlier NAME or a directory); directories on
 * the way are real directories made here, or links that lead to a directory inside the root. A
 * LINK target that is absolute is put below the root (as distcc does); one that is relative may
 * not climb above the root, with one exception the include server needs: a "system directory"
 * link, a run of {@code ../} followed by the link's own name (its {@code usr/include ->
 * ../../../../usr/include}), which must lead to that very directory on the server. When all
 * entries are made, {@link #checkLinks()} resolves every link: one that leads outside the root
 * (other than a system directory link) is refused, one that leads nowhere is removed, so that the
 * compiler cannot create a file through it. Anything else is an {@link UnsafeEntryException}.
 *
 * <p>Reading is another matter: the compiler may read any file its user can read, as with stock
 * pump mode (system headers, {@code #include "/abs/path"}); see docs/security.md.
 */
final class FakeRoot implements AutoCloseable {
    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int NAME_TRIES = 100;

    private final Path dir;
    private final Path real;
    private final boolean keep;
    private final int maxDirectories;
    private final List<Link> links = new ArrayList<>();
    private int directories;

    private record Link(Path path, String name, boolean systemDirectory) {
    }

    private FakeRoot(Path dir, boolean keep, int maxDirectories) throws IOException {
        this.dir = dir;
        this.real = dir.toRealPath();
        this.keep = keep;
        this.maxDirectories = maxDirectories;
    }

    /**
     * Creates a fresh root under {@code tmp}.
     *
     * @param keep           leave it behind (DISTCC_SAVE_TEMPS=1)
     * @param maxDirectories most directories the request may make
     */
    static FakeRoot create(Path tmp, boolean keep, int maxDirectories, RandomGenerator random) throws IOException {
        for (int attempt = 0; ; attempt++) {
            StringBuilder name = new StringBuilder("distccd_");
            for (int i = 0; i < 6; i++) {
                name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
            }
            try {
                Path dir = Files.createDirectory(tmp.resolve(name.toString()),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return new FakeRoot(dir, keep, maxDirectories);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= NAME_TRIES) {
                    throw e;
                }
            }
        }
    }

    /** The root as given to the compiler: {@code $TMPDIR/distccd_XXXXXX}. */
    Path dir() {
        return dir;
    }

    /** The same directory with every link resolved, if TMPDIR has one; else equal to {@link #dir()}. */
    Path realDir() {
        return real;
    }

    /** Makes the client's working directory below the root and returns it. */
    Path makeWorkingDirectory(String cwd) throws UnsafeEntryException, IOException {
        return directory(components("CDIR", cwd), "CDIR", cwd);
    }

    /** Makes one NAME entry below the root. */
    void add(IncludedFile entry) throws UnsafeEntryException, IOException {
        List<String> parts = components("NAME", entry.name());
        if (parts.isEmpty()) {
            throw unsafe(entry.name(), "names the root itself");
        }
        Path parent = directory(parts.subList(0, parts.size() - 1), "NAME", entry.name());
        Path path = parent.resolve(parts.get(parts.size() - 1));
        try {
            switch (entry) {
                case IncludedFile.Contents file -> Files.write(path, file.contents(), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                case IncludedFile.Link link -> addLink(path, parts, link);
            }
        } catch (FileAlreadyExistsException e) {
            throw unsafe(entry.name(), "was already made by this request (a duplicate NAME, or a directory of another)");
        }
    }

    private void addLink(Path path, List<String> parts, IncludedFile.Link link)
            throws UnsafeEntryException, IOException {
        String target = link.target();
        boolean systemDirectory = false;
        String onDisk;
        if (target.isEmpty()) {
            throw unsafe(link.name(), "is a LINK with an empty target");
        } else if (target.startsWith("/")) {
            components("LINK target of " + link.name(), target);
            onDisk = PumpArguments.rooted(dir.toString(), target);
        } else {
            systemDirectory = isSystemDirectoryLink(target, parts);
            if (!systemDirectory && climbsAboveRoot(path.getParent(), target)) {
                throw unsafe(link.name(), "is a LINK to '" + Printable.of(target) + "', which leads outside the root");
            }
            onDisk = target;
        }
        Files.createSymbolicLink(path, Path.of(onDisk));
        links.add(new Link(path, link.name(), systemDirectory));
    }

    /**
     * Resolves every link the request made, now that all its entries exist: refuses one that leads
     * outside the root (a system directory link must lead to its own name on the server) and
     * removes one that leads nowhere.
     */
    void checkLinks() throws UnsafeEntryException, IOException {
        for (Link link : links) {
            Path resolved;
            try {
                resolved = link.path().toRealPath();
            } catch (IOException dangling) {
                Files.deleteIfExists(link.path());
                continue;
            }
            if (link.systemDirectory()) {
                Path server;
                try {
                    server = Path.of(link.name()).toRealPath();
                } catch (IOException e) {
                    server = null;
                }
                if (!resolved.equals(server) || !Files.isDirectory(resolved)) {
                    throw unsafe(link.name(), "is a system directory LINK that does not lead to that directory");
                }
            } else if (!resolved.startsWith(real)) {
                throw unsafe(link.name(), "is a LINK that resolves outside the root, to " + Printable.of(
                        resolved.toString()));
            }
        }
    }

    /**
     * The directory {@code parts} below the root, made where missing. Every existing step must be a
     * directory, or a link to a directory inside the root.
     */
    private Path directory(List<String> parts, String what, String name) throws UnsafeEntryException, IOException {
        Path current = real;
        for (String part : parts) {
            Path next = current.resolve(part);
            BasicFileAttributes attributes = attributes(next);
            if (attributes == null) {
                if (++directories > maxDirectories) {
                    throw unsafe(name, "would make more than " + maxDirectories + " directories");
                }
                Files.createDirectory(next);
                current = next;
            } else if (attributes.isDirectory()) {
                current = next;
            } else if (attributes.isSymbolicLink()) {
                Path resolved;
                try {
                    resolved = next.toRealPath();
                } catch (IOException e) {
                    throw unsafe(name, "passes through a link that leads nowhere");
                }
                if (!resolved.startsWith(real) || !Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
                    throw unsafe(name, "passes through a link that leads outside the root or to a file");
                }
                current = resolved;
            } else {
                throw unsafe(name, "passes through '" + Printable.of(part) + "', which this request made a file");
            }
        }
        return current;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether {@code target} is {@code ../} repeated, then {@code parts} joined: a link to its own name on the server. */
    private static boolean isSystemDirectoryLink(String target, List<String> parts) {
        String rest = target;
        int ups = 0;
        while (rest.startsWith("../")) {
            rest = rest.substring(3);
            ups++;
        }
        return ups > 0 && rest.equals(String.join("/", parts));
    }

    /** Whether the relative {@code target}, read from {@code from} without following links, goes above the root. */
    private boolean climbsAboveRoot(Path from, String target) {
        int depth = real.relativize(from).toString().isEmpty() ? 0 : real.relativize(from).getNameCount();
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    /** The components of an absolute client path; no {@code .} or {@code ..}, empty ones (from {@code //}) skipped. */
    private static List<String> components(String what, String path) throws UnsafeEntryException {
        if (!path.startsWith("/")) {
            throw new UnsafeEntryException(what + " '" + Printable.of(path) + "' is not an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new UnsafeEntryException(what + " '" + Printable.of(path) + "' has a '" + part + "' component");
            }
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static UnsafeEntryException unsafe(String name, String why) {
        return new UnsafeEntryException("NAME '" + Printable.of(name) + "' " + why);
    }

    /** Removes the root and everything below it, links as links (never what they point at). */
    @Override
    public void close() throws IOException {
        if (!keep) {
            Workspace.removeTree(dir);
        }
    }
}
