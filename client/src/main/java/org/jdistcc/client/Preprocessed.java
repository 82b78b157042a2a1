package org.jdistcc.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.jdistcc.client.schedule.Acquisition;
import org.jdistcc.client.schedule.SlotWaiter;
import org.jdistcc.compiler.ClientArguments;
import org.jdistcc.compiler.Filenames;
import org.jdistcc.compiler.ScanResult;

/**
 * The preprocessed source of one plain-mode job, made once however many hosts are tried: the
 * command with {@code -E} instead of {@code -c}, run where the caller is (in the agent: by the
 * front-end, the process make started) under a local preprocessing slot, its output in
 * {@code $TMPDIR/distcc_XXXX.i}, its messages on the caller's stderr. A source that is already
 * preprocessed is sent as it is. As distcc's client does, the preprocessor runs in the
 * background ({@link #start}) while the job connects to its host and sends the command line.
 * Owns its temporary files and removes them on close, after stopping a preprocessor still running.
 */
final class Preprocessed implements AutoCloseable, DependencyOutput {
    private final Invocation inv;
    private final Map<String, String> env;
    private final ClientSettings settings;
    private final ClientLog log;
    private final LocalRun local;
    private final SlotWaiter waiter;
    private final int cppSlots;
    private byte[] source;
    private Path preprocessed;
    private Path dependencies;
    private Path dependencyTarget;
    private FutureTask<OptionalInt> making;
    private Thread maker;

    Preprocessed(Invocation inv, Map<String, String> env, ClientSettings settings, ClientLog log, LocalRun local,
                 SlotWaiter waiter, int cppSlots) {
        this.inv = inv;
        this.env = env;
        this.settings = settings;
        this.log = log;
        this.local = local;
        this.waiter = waiter;
        this.cppSlots = cppSlots;
    }

    /** Starts making the source in the background, unless it is made or being made. */
    void start(ScanResult.Distribute job) {
        if (making == null) {
            making = new FutureTask<>(() -> make(job));
            maker = Thread.ofVirtual().name("distcc-cpp").start(making);
        }
    }

    /**
     * Makes the source if not made yet, and waits for it.
     *
     * @return the preprocessor's exit status if it failed (its messages are already on stderr), else empty
     */
    OptionalInt ensure(ScanResult.Distribute job) throws IOException, InterruptedException {
        start(job);
        try {
            return making.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException("preprocessing failed", e.getCause());
            }
        }
    }

    private OptionalInt make(ScanResult.Distribute job) throws IOException, InterruptedException {
        if (job.inputPreprocessed()) {
            source = Files.readAllBytes(inv.cwd().resolve(job.input()));
            return OptionalInt.empty();
        }
        List<String> cpp = ClientArguments.preprocessCommand(job.argv());
        boolean dashO = job.outputForm() == ScanResult.OutputForm.SEPARATE
                || job.outputForm() == ScanResult.OutputForm.JOINED;
        Optional<DependencyFile> dotd = DependencyFile.of(job.argv(), job.output(), dashO);
        if (dotd.isPresent()) {
            dependencyTarget = inv.cwd().resolve(dotd.get().file());
            dependencies = OutputFile.temporaryBeside(dependencyTarget, inv.umask());
            cpp = dotd.get().preprocessorArguments(cpp, dependencies.toString(), job.output());
        }
        preprocessed = Files.createTempFile(settings.tmpDir(), "distcc_", Filenames.preprocessedExtension(job.input()));
        log.debug("dcc_cpp_maybe", "running the preprocessor: " + cpp);
        int status;
        Acquisition slot = waiter.acquireLocal(cppSlots, settings.ioTimeout());
        try {
            status = local.runInto(preprocessed, cpp, job.input(), inv, env);
        } finally {
            if (slot instanceof Acquisition.Acquired a) {
                a.slot().close();
            }
        }
        if (status != 0) {
            log.info("dcc_cpp_maybe", "preprocessing " + job.input() + " failed with status " + status
                    + "; that is the compile's result (no host is to blame)");
            return OptionalInt.of(status);
        }
        source = Files.readAllBytes(preprocessed);
        return OptionalInt.empty();
    }

    /** The preprocessed source; only after {@link #ensure} returned empty. */
    byte[] source() {
        return source;
    }

    /** Moves the .d file the preprocessor wrote into place, once the object is there. */
    @Override
    public void commit(org.jdistcc.protocol.Response response) throws IOException {
        if (dependencies != null) {
            OutputFile.commit(dependencies, dependencyTarget);
            dependencies = null;
        }
    }

    /**
     * Removes the temporary files: the preprocessed source unless DISTCC_SAVE_TEMPS=1, and always a
     * .d that was not committed (it sits in the build tree, beside the real one). One that cannot go
     * costs a warning.
     */
    @Override
    public void close() {
        if (making != null) {
            making.cancel(true);   // if the job ended first (local fallback, Ctrl-C), the preprocessor is killed
            awaitMaker();
        }
        delete(settings.saveTemps() ? null : preprocessed);
        delete(dependencies);
    }

    /** Waits, even when interrupted, until the background preprocessing has ended and set its files. */
    private void awaitMaker() {
        boolean interrupted = false;
        while (maker.isAlive()) {
            try {
                maker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void delete(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warning("dcc_cleanup_tempfiles", "cannot remove " + p + ": " + Compilation.describe(e));
        }
    }
}
