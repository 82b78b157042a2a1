package org.jdistcc.client.include;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdistcc.protocol.IncludedFile;

/**
 * The include closure of one compile, computed once: gcc's search chains built from the options
 * (quote: {@code -iquote}; bracket: {@code -I}; system: {@code -isystem}, the defaults,
 * {@code -idirafter}; directories that do not exist or repeat one before them dropped, and an
 * {@code -I} that repeats a system directory dropped, as gcc drops them), then a walk from the
 * source and the {@code -include}/{@code -imacros} files through every include of every file
 * reached. Quoted includes look in the includer's directory first, {@code #include_next} goes on
 * after the directory the includer was found in, and computed includes are expanded with every
 * definition seen until no new file or definition appears. A file in a default system directory is
 * neither sent nor read.
 */
final class IncludeClosure {
    /** Where a file was found: an index into the chain, or one of these. */
    private static final int CURRENT_DIR = -1;
    private static final int MAIN = -2;
    private static final int MAX_ROUNDS = 50;

    /** Thrown when the analysis cannot be sure; {@link #kind} is what is counted. */
    static final class UnsureException extends Exception {
        private final String kind;

        UnsureException(String kind, String detail) {
            super(detail);
            this.kind = kind;
        }

        String kind() {
            return kind;
        }
    }

    private record SearchDir(String spelled, boolean system) {
    }

    private record Found(String spelled, int foundIn) {
    }

    private static final class Pending {
        final Directive.Include include;
        final Found includer;
        int evaluatedAt = -1;
        boolean namedAFile;

        Pending(Directive.Include include, Found includer) {
            this.include = include;
            this.includer = includer;
        }
    }

    private final IncludeOptions options;
    private final List<Path> systemDirs;
    private final Path cwd;
    private final SourceCache sources;
    private final List<SearchDir> chain = new ArrayList<>();
    private int bracketStart;
    private final Map<String, List<Directive.Define>> macros = new LinkedHashMap<>();
    private int macroVersion;
    private final List<Pending> computed = new ArrayList<>();
    private final Deque<Found> queue = new ArrayDeque<>();
    private final Set<String> visited = new HashSet<>();
    private final Map<String, Boolean> regular = new HashMap<>();
    private Mirror mirror;

    private final List<Directive.Define> predefined;

    IncludeClosure(IncludeOptions options, CompilerDefaults defaults, Path cwd, SourceCache sources) {
        this.options = options;
        this.systemDirs = defaults.systemDirs();
        this.predefined = defaults.macros();
        this.cwd = cwd;
        this.sources = sources;
    }

    Analysis.Files files(String input) throws IOException, UnsureException {
        mirror = new Mirror(this::isSystem);
        buildChain();
        predefined.forEach(this::define);
        options.defines().forEach(this::define);
        queue.add(new Found(input, MAIN));
        for (String forced : options.forcedIncludes()) {
            enqueue(find(Directive.Form.QUOTE, forced, false, new Found("", CURRENT_DIR)));
        }
        drain();
        expandComputedIncludes();
        mirrorSearchDirectories();
        return new Analysis.Files(mirror.entries());
    }

    /**
     * Evaluates the computed includes again while new definitions or new computed includes appear;
     * one that never names a file means the analysis cannot be sure.
     */
    private void expandComputedIncludes() throws IOException, UnsureException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int version = macroVersion;
            int pending = computed.size();
            for (int i = 0; i < computed.size(); i++) {
                evaluate(computed.get(i));
                drain();
            }
            if (version == macroVersion && pending == computed.size()) {
                break;
            }
        }
        for (Pending p : computed) {
            if (!p.namedAFile) {
                throw new UnsureException("computed include", "#include " + p.include.text() + " in "
                        + p.includer.spelled() + " names no file with the macros seen");
            }
        }
    }

    /** The search directories exist on the server too; one inside a system directory links back to it. */
    private void mirrorSearchDirectories() throws IOException {
        for (SearchDir d : chain) {
            if (d.system()) {
                continue;
            }
            Path abs = cwd.resolve(d.spelled());
            Path normal = abs.normalize();
            if (isSystem(normal)) {
                systemRoot(normal).ifPresent(mirror::systemDirectory);
            } else {
                mirror.directory(abs);
            }
        }
    }

    private void buildChain() throws IOException {
        Set<Path> seen = new HashSet<>();
        List<SearchDir> system = new ArrayList<>();
        for (String d : options.systemDirs()) {
            addDir(system, seen, d, false);
        }
        for (Path d : systemDirs) {
            addDir(system, seen, d.toString(), true);
        }
        for (String d : options.afterDirs()) {
            addDir(system, seen, d, false);
        }
        List<SearchDir> bracket = new ArrayList<>();
        for (String d : options.bracketDirs()) {
            addDir(bracket, seen, d, false);
        }
        List<SearchDir> quote = new ArrayList<>();
        for (String d : options.quoteDirs()) {
            addDir(quote, seen, d, false);
        }
        chain.addAll(quote);
        bracketStart = chain.size();
        chain.addAll(bracket);
        chain.addAll(system);
    }

    /** Adds {@code dir} unless it does not exist or is already in {@code seen} (by its real path). */
    private void addDir(List<SearchDir> to, Set<Path> seen, String dir, boolean system) throws IOException {
        Path abs = cwd.resolve(dir);
        if (!Files.isDirectory(abs)) {
            return;
        }
        if (seen.add(abs.toRealPath())) {
            to.add(new SearchDir(stripSlashes(dir), system));
        }
    }

    private static String stripSlashes(String dir) {
        String d = dir;
        while (d.length() > 1 && d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    private void drain() throws IOException, UnsureException {
        while (!queue.isEmpty()) {
            Found f = queue.poll();
            Path abs = cwd.resolve(f.spelled());
            if (!visited.add(abs.normalize() + "\0" + f.foundIn())) {
                continue;
            }
            if (f.foundIn() != MAIN && isSystem(abs.normalize())) {
                continue;
            }
            SourceCache.Source src = sources.get(abs.toRealPath());
            mirror.file(abs, Path.of(f.spelled()).isAbsolute(), src.contents());
            for (Directive d : src.directives()) {
                switch (d) {
                    case Directive.Define def -> define(def);
                    case Directive.Include inc when inc.form() == Directive.Form.COMPUTED ->
                            computed.add(new Pending(inc, f));
                    case Directive.Include inc -> enqueue(find(inc.form(), inc.text(), inc.next(), f));
                }
            }
        }
    }

    private void define(Directive.Define d) {
        List<Directive.Define> defs = macros.computeIfAbsent(d.name(), k -> new ArrayList<>());
        if (!defs.contains(d)) {
            defs.add(d);
            macroVersion++;
        }
    }

    private void enqueue(Found f) {
        if (f != null) {
            queue.add(f);
        }
    }

    private void evaluate(Pending p) throws UnsureException, IOException {
        if (p.evaluatedAt == macroVersion) {
            return;
        }
        p.evaluatedAt = macroVersion;
        java.util.Set<String> values;
        try {
            values = new MacroExpander(macros).expand(p.include.text());
        } catch (MacroExpander.TooComplexException e) {
            throw new UnsureException("computed include", "#include " + p.include.text() + " in "
                    + p.includer.spelled() + ": " + e.getMessage());
        }
        for (String v : values) {
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                p.namedAFile = true;
                enqueue(find(Directive.Form.QUOTE, v.substring(1, v.length() - 1), p.include.next(), p.includer));
            } else if (v.length() >= 2 && v.startsWith("<") && v.endsWith(">")) {
                p.namedAFile = true;
                enqueue(find(Directive.Form.ANGLE, v.substring(1, v.length() - 1).strip(), p.include.next(),
                        p.includer));
            }
        }
    }

    /** Where gcc finds {@code name} included from {@code includer}, or null: not found or in a system directory. */
    private Found find(Directive.Form form, String name, boolean next, Found includer) throws UnsureException {
        if (name.startsWith("/")) {
            Path p = Path.of(name).normalize();
            if (isSystem(p) || !Files.isRegularFile(p)) {
                return null;
            }
            throw new UnsureException("absolute include", "#include of " + name + " in " + includer.spelled());
        }
        int start;
        if (next && includer.foundIn() >= 0) {
            start = includer.foundIn() + 1;
        } else if (next && includer.foundIn() == CURRENT_DIR) {
            start = 0;
        } else if (form == Directive.Form.QUOTE) {
            String spelled = dirOf(includer.spelled()) + name;
            if (isRegular(spelled)) {
                return new Found(spelled, CURRENT_DIR);
            }
            start = 0;
        } else {
            start = bracketStart;
        }
        for (int i = start; i < chain.size(); i++) {
            SearchDir d = chain.get(i);
            String spelled = d.spelled().equals("/") ? "/" + name : d.spelled() + "/" + name;
            if (isRegular(spelled)) {
                return d.system() ? null : new Found(spelled, i);
            }
        }
        return null;
    }

    private static String dirOf(String spelled) {
        int slash = spelled.lastIndexOf('/');
        return slash < 0 ? "" : spelled.substring(0, slash + 1);
    }

    private boolean isRegular(String spelled) {
        return regular.computeIfAbsent(spelled, s -> Files.isRegularFile(cwd.resolve(s)));
    }

    /** Whether {@code p} (absolute, normalised) lies in a default system directory. */
    boolean isSystem(Path p) {
        return systemRoot(p).isPresent();
    }

    private java.util.Optional<Path> systemRoot(Path p) {
        for (Path d : systemDirs) {
            if (p.startsWith(d)) {
                return java.util.Optional.of(d);
            }
        }
        return java.util.Optional.empty();
    }
}
