package org.jdistcc.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jdistcc.compiler.driver.DriverListing;
import org.jdistcc.compiler.driver.PreprocessorPlan;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;

/**
 * Runs gcc's preprocessor proper ({@code cc1 -E}, {@code cc1plus -E}) instead of {@code gcc -E} once
 * that is known to be the same command: the driver costs 1.5 ms of a 10 ms preprocessing of a small
 * file, on every job. One instance serves all the jobs of an engine (the agent's), and learns per
 * shape of job ({@link Shape}: compiler file, directory, environment, the command but for the input
 * and the .d options' values, the input's directory and extension):
 *
 * <ol>
 *   <li>the first job of a shape runs the driver, as every job did before;
 *   <li>the second also has {@code gcc -###} list what it runs, in the background, and a
 *       {@link PreprocessorPlan} is made from that listing: from then on it is what the driver runs
 *       for that job's input (the same file compiled again);
 *   <li>the next job with another input has its command listed too: if the plan predicted that
 *       listing word for word, the shape is trusted, else it is never used for other inputs;
 *   <li>jobs the plan serves run the listed command directly, with the driver's environment
 *       variables added.
 * </ol>
 *
 * Only a compiler that is a compiled program is learned, not a wrapper script, which may do more than
 * run gcc. A shape seen once costs nothing; one that is learned costs two driver runs in the background. A
 * new gcc is a new shape (the compiler file's identity is part of it). {@code DISTCC_DIRECT_CPP=0}
 * turns it off.
 */
final class DirectPreprocessor {
    /** Shapes remembered, the least recently used forgotten first. */
    private static final int SHAPES = 256;
    private static final Duration LISTING_LIFETIME = Duration.ofSeconds(30);

    private final CommandRunner runner;
    private final Executor background;
    private final Map<Shape, Learning> shapes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, Learning> eldest) {
            return size() > SHAPES;
        }
    };

    /** @param background where the driver's listings run: off the job's path */
    DirectPreprocessor(CommandRunner runner, Executor background) {
        this.runner = runner;
        this.background = background;
    }

    /** The preprocessor to run instead of the driver: argv and environment. */
    record Direct(List<String> argv, Map<String, String> env) {
    }

    /**
     * What a job of a known shape runs instead of {@code cpp} (the driver's {@code -E} command whose
     * source is {@code input}); empty if it must run the driver, which may teach this the shape.
     */
    Optional<Direct> lookup(List<String> cpp, String input, Path cwd, Map<String, String> env) {
        if ("0".equals(env.get("DISTCC_DIRECT_CPP"))) {
            return Optional.empty();
        }
        Optional<PreprocessorPlan.Job> job = PreprocessorPlan.Job.of(cpp, input);
        Optional<Shape> shape = job.flatMap(j -> Shape.of(j, cwd, env));
        if (shape.isEmpty()) {
            return Optional.empty();
        }
        Learning learning;
        synchronized (shapes) {
            learning = shapes.get(shape.get());
            if (learning == null) {
                shapes.put(shape.get(), new Learning());
                return Optional.empty();
            }
            if (learning.trusted || (learning.plan != null && input.equals(learning.planInput))) {
                DriverListing listing = learning.plan.instantiate(job.get());
                Map<String, String> direct = new HashMap<>(env);
                direct.putAll(listing.assignments());
                return Optional.of(new Direct(listing.command(), direct));
            }
            if (learning.refused || learning.listing) {
                return Optional.empty();
            }
            learning.listing = true;
        }
        Path program = shape.get().program();
        background.execute(() -> learn(learning, job.get(), program, cwd, env));
        return Optional.empty();
    }

    private void learn(Learning learning, PreprocessorPlan.Job job, Path program, Path cwd, Map<String, String> env) {
        Optional<DriverListing> listing = executable(program) ? list(job, cwd, env) : Optional.empty();
        synchronized (shapes) {
            if (listing.isEmpty()) {
                learning.refused = true;
            } else if (learning.plan == null) {
                learning.plan = PreprocessorPlan.derive(listing.get(), job).orElse(null);
                learning.planInput = job.input();
                learning.refused = learning.plan == null;
            } else if (learning.plan.instantiate(job).equals(listing.get())) {
                learning.trusted = true;
            } else {
                learning.refused = true;
            }
            learning.listing = false;
        }
    }

    /**
     * Whether {@code program} is a compiled program, not a script: a wrapper script may do more than
     * run gcc (log, count, fetch), and running cc1 directly would skip that.
     */
    private static boolean executable(Path program) {
        try (InputStream in = Files.newInputStream(program)) {
            return Arrays.equals(in.readNBytes(4), new byte[] {0x7f, 'E', 'L', 'F'});
        } catch (IOException e) {
            return false;
        }
    }

    /** What {@code gcc -### <args>} lists for the job: empty if it failed or listed something else. */
    private Optional<DriverListing> list(PreprocessorPlan.Job job, Path cwd, Map<String, String> env) {
        List<String> argv = new ArrayList<>(job.command());
        argv.add(1, "-###");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            Outcome outcome = runner.run(new Command(argv, cwd, env, new Command.Input.Null(),
                    new Command.Output.To(OutputStream.nullOutputStream()), new Command.Output.To(err),
                    LISTING_LIFETIME), () -> false);
            if (!outcome.succeeded()) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return DriverListing.parse(err.toString(StandardCharsets.UTF_8));
    }

    /** What one shape has taught so far. */
    private static final class Learning {
        /** Made from the listing of this input's job: exact for that input, a prediction for others. */
        PreprocessorPlan plan;
        String planInput;
        boolean listing;
        /** The plan predicted the listing of a job with another input. */
        boolean trusted;
        boolean refused;
    }

    /**
     * Jobs whose preprocessor commands differ only in their own strings: same compiler file (its
     * identity, so an upgrade is a new shape), directory, environment (but {@code $_}), template, and
     * input directory and extension.
     */
    private record Shape(Path program, String identity, Path cwd, Map<String, String> env, List<String> template,
                         String inputDirectory, String inputExtension) {
        static Optional<Shape> of(PreprocessorPlan.Job job, Path cwd, Map<String, String> env) {
            Optional<Path> program = CompilerNames.which(job.template().getFirst(), env.getOrDefault("PATH", ""), cwd);
            Optional<String> identity = program.flatMap(Shape::identity);
            String input = job.input();
            int slash = input.lastIndexOf('/');
            String base = input.substring(slash + 1);
            int dot = base.lastIndexOf('.');
            Map<String, String> variables = new HashMap<>(env);
            variables.remove("_"); // the shell's last command, not the compiler's business
            return identity.map(id -> new Shape(program.get(), id, cwd, variables, job.template(),
                    slash < 0 ? "" : input.substring(0, slash), dot < 0 ? "" : base.substring(dot)));
        }

        /** The file's identity: where it is, which inode, how big, when changed (an upgrade changes it). */
        private static Optional<String> identity(Path program) {
            try {
                BasicFileAttributes a = Files.readAttributes(program, BasicFileAttributes.class);
                return Optional.of(program + " " + a.fileKey() + " " + a.size() + " " + a.lastModifiedTime().toMillis());
            } catch (IOException gone) {
                return Optional.empty();
            }
        }
    }
}
