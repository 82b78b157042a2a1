package org.jdistcc.client.include;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdistcc.compiler.process.Command;
import org.jdistcc.compiler.process.CommandRunner;
import org.jdistcc.compiler.process.Outcome;

/**
 * Runs {@code COMPILER OPTIONS -E -dM -v -x LANGUAGE /dev/null} once: the predefined macros come on
 * standard output, and the include directories on standard error between
 * {@code #include <...> search starts here:} and {@code End of search list.} (gcc and clang alike).
 */
final class GccCompilerProbe implements CompilerProbe {
    private static final Duration LIFETIME = Duration.ofSeconds(30);
    private final CommandRunner runner;

    GccCompilerProbe(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public CompilerDefaults defaults(String compiler, List<String> options, String language, Path cwd,
                                     Map<String, String> env) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(compiler);
        argv.addAll(options);
        argv.addAll(List.of("-E", "-dM", "-v", "-x", language, "/dev/null"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o = runner.run(new Command(argv, cwd, env, new Command.Input.Null(), new Command.Output.To(out),
                new Command.Output.To(err), LIFETIME), () -> false);
        if (!o.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed with wait status " + o.waitStatus());
        }
        List<Directive.Define> macros = new ArrayList<>();
        for (Directive d : DirectiveScanner.scan(out.toByteArray())) {
            if (d instanceof Directive.Define def) {
                macros.add(def);
            }
        }
        return new CompilerDefaults(searchDirs(err.toString(StandardCharsets.UTF_8)), macros);
    }

    /** The directories listed in the output of {@code -v}, normalised; framework directories skipped. */
    static List<Path> searchDirs(String verbose) throws IOException {
        List<Path> dirs = new ArrayList<>();
        boolean in = false;
        boolean seen = false;
        for (String line : verbose.split("\n")) {
            if (line.startsWith("#include <...> search starts here:")) {
                in = true;
                seen = true;
            } else if (line.startsWith("End of search list.")) {
                in = false;
            } else if (in && line.startsWith(" ")) {
                String d = line.strip();
                if (!d.endsWith("(framework directory)")) {
                    dirs.add(Path.of(d).normalize());
                }
            }
        }
        if (!seen) {
            throw new IOException("the compiler did not list its include directories");
        }
        return dirs;
    }
}
