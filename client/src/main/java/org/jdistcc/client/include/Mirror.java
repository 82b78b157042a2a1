package org.jdistcc.client.include;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jdistcc.protocol.IncludedFile;

/**
 * The entries that let the server rebuild, under its temporary root, every path the compile will
 * open as it is spelled here. Each path is walked one component at a time as the kernel walks it:
 * a symbolic link met on the way becomes a LINK entry (named by its real parent directory, with its
 * target as read) and the walk goes on through its target; a {@code ..} needs the directory before
 * it to exist there, which an empty {@link #FORCING_FILE} in it ensures, as distcc's include server
 * does; the file at the end is sent under its real name. A file the compile reaches through an
 * absolute name gets {@code #line 1 "<that name>"} in front, so that {@code __FILE__} names it as
 * here and not under the server's root. The default system directories are the server's own: a
 * search directory inside one becomes a link from the root back to the real directory.
 */
final class Mirror {
    static final String FORCING_FILE = "forcing_technique_271828";
    private static final int MAX_LINKS = 40;
    /** More {@code ../} than any server root is deep: the link leads from anywhere back to /. */
    static final int UP_TO_ROOT = 64;

    private final Predicate<Path> system;
    private final Map<String, IncludedFile> entries = new LinkedHashMap<>();
    private final Set<Path> forcedDirs = new LinkedHashSet<>();

    /** @param system whether a real path lies in one of the compiler's default system directories */
    Mirror(Predicate<Path> system) {
        this.system = system;
    }

    /** Sends the file the compile opens as {@code spelled} (absolute), with its contents. */
    void file(Path spelled, boolean reachedAbsolute, byte[] contents) throws IOException {
        Path real = walk(spelled.toString());
        String name = real.toString();
        if (entries.containsKey(name)) {
            return;
        }
        byte[] body = contents;
        if (reachedAbsolute) {
            byte[] line = ("#line 1 \"" + spelled.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            body = Arrays.copyOf(line, line.length + contents.length);
            System.arraycopy(contents, 0, body, line.length, contents.length);
        }
        entries.put(name, new IncludedFile.Contents(name, body));
    }

    /** Makes the search directory {@code spelled} (absolute) exist on the server, links on its way included. */
    void directory(Path spelled) throws IOException {
        Path real = walk(spelled.toString());
        if (!system.test(real)) {
            forcedDirs.add(real);
        }
    }

    /** A link at the system directory {@code dir} under the server's root that leads back to {@code dir}. */
    void systemDirectory(Path dir) {
        String name = dir.toString();
        entries.putIfAbsent(name, new IncludedFile.Link(name, "../".repeat(UP_TO_ROOT) + name.substring(1)));
    }

    /**
     * Walks {@code path} as the kernel does, recording each symbolic link and each directory a
     * {@code ..} leaves; returns the real path at the end.
     */
    Path walk(String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>(Arrays.asList(path.split("/")));
        Path cur = Path.of("/");
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (cur.getParent() != null) {
                    if (!system.test(cur)) {
                        forcedDirs.add(cur);
                    }
                    cur = cur.getParent();
                }
                continue;
            }
            Path next = cur.resolve(c);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links in " + path);
                }
                String target = Files.readSymbolicLink(next).toString();
                if (!system.test(next)) {
                    entries.putIfAbsent(next.toString(), new IncludedFile.Link(next.toString(), target));
                }
                List<String> parts = new ArrayList<>(Arrays.asList(target.split("/")));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                if (target.startsWith("/")) {
                    cur = Path.of("/");
                }
                continue;
            }
            cur = next;
        }
        return cur;
    }

    /** Every entry: links and files as met, then one empty file per directory that must exist. */
    List<IncludedFile> entries() {
        List<IncludedFile> out = new ArrayList<>(entries.values());
        Set<Path> made = new LinkedHashSet<>();
        for (IncludedFile f : entries.values()) {
            for (Path p = Path.of(f.name()).getParent(); p != null && made.add(p); p = p.getParent()) {
                // every ancestor of a sent name exists there anyway
            }
        }
        for (Path d : forcedDirs) {
            String name = d.resolve(FORCING_FILE).toString();
            if (!made.contains(d) && !d.toString().equals("/")) {
                out.add(new IncludedFile.Contents(name, new byte[0]));
            }
        }
        return out;
    }
}
