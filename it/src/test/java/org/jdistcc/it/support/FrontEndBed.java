package org.jdistcc.it.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the front-end tests start from: a scratch tree with a copy of {@code bin/} and {@code lib/}
 * ({@link FrontEndTree}), an empty {@code DISTCC_DIR}, {@code work/} holding hello.c and hello.h,
 * and an in-process distccd once {@link #serve} is called. Closing kills the agents started under
 * the scratch tree, stops the server and removes the tree.
 */
public final class FrontEndBed implements AutoCloseable {
    private final Scratch scratch;
    private final FrontEndTree tree;
    private final Path distccDir;
    private final Path work;
    private InProcessDistccd server;

    private FrontEndBed(Scratch scratch) {
        this.scratch = scratch;
        this.tree = FrontEndTree.copyInto(scratch.dir("front-end"));
        this.distccDir = scratch.dir("distcc-dir");
        this.work = scratch.dir("work");
        scratch.write("work/hello.c", Sources.HELLO_C);
        scratch.write("work/hello.h", Sources.HELLO_H);
    }

    public static FrontEndBed create(String name) {
        return new FrontEndBed(Scratch.create(name));
    }

    /** Starts the server, its temporary files under {@code server-tmp}. */
    public InProcessDistccd serve(List<String> args, Map<String, String> env) {
        server = InProcessDistccd.start(scratch.dir("server-tmp"), args, env);
        return server;
    }

    public InProcessDistccd serve(String... args) {
        server = InProcessDistccd.start(scratch.dir("server-tmp"), args);
        return server;
    }

    /**
     * A job's environment ({@link FrontEndTree#environment}): {@code DISTCC_HOSTS} the server with
     * {@code slots} ("" or "/4"), a {@code TMPDIR} of its own, then {@code extra}.
     */
    public Map<String, String> jobEnvironment(String slots, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DISTCC_HOSTS", server.hostSpec(slots),
                "TMPDIR", scratch.dir("client-tmp").toString()));
        env.putAll(extra);
        return FrontEndTree.environment(scratch.dir("home"), distccDir, env);
    }

    public Scratch scratch() {
        return scratch;
    }

    public FrontEndTree tree() {
        return tree;
    }

    public Path distccDir() {
        return distccDir;
    }

    public Path work() {
        return work;
    }

    @Override
    public void close() {
        Agents.killUnder(scratch.root());
        if (server != null) {
            server.close();
        }
        scratch.close();
    }
}
