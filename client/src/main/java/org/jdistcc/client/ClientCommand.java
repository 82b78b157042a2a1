package org.jdistcc.client;

import java.util.ArrayList;
import java.util.List;
import org.jdistcc.compiler.Filenames;
import org.jdistcc.protocol.ExitCode;

/**
 * What an invocation of distcc asks for (reference §2.1). Named {@code distcc...}, it is distcc's own
 * option in position 1, or a compile: explicit ({@code distcc gcc -c x.c}) or implicit
 * ({@code distcc -c x.c}, which means {@code cc}). Named anything else, it is a masquerade link and the
 * compiler is its own name. Pure.
 */
public sealed interface ClientCommand {

    /** {@code --help}. */
    record Help() implements ClientCommand {
    }

    /** {@code --version}. */
    record Version() implements ClientCommand {
    }

    /** {@code --show-hosts}: the host list, one token a line. */
    record ShowHosts() implements ClientCommand {
    }

    /** {@code -j}: the sum of all hosts' slots. */
    record Jobs() implements ClientCommand {
    }

    /**
     * A compiler command to run, remotely if it can be.
     *
     * @param argv       the compiler command, compiler first
     * @param masquerade whether distcc was invoked through a link named like the compiler
     */
    record Compile(List<String> argv, boolean masquerade) implements ClientCommand {
        public Compile {
            argv = List.copyOf(argv);
        }
    }

    /**
     * {@code --scan-includes COMPILE...}: the files pump mode would send for the compile, one a line
     * ({@code FILE}, {@code SYMLINK}, {@code DIRECTORY}, {@code SYSTEMDIR}), without compiling.
     *
     * @param argv the compiler command, compiler first
     */
    record ScanIncludes(List<String> argv) implements ClientCommand {
        public ScanIncludes {
            argv = List.copyOf(argv);
        }
    }

    /** Decides what {@code argv} (argv[0] included) asks for. */
    static ClientCommand parse(List<String> argv) throws ClientException {
        if (argv.isEmpty()) {
            throw new ClientException(ExitCode.BAD_ARGUMENTS, "missing option/operand");
        }
        String self = Filenames.basename(argv.get(0));
        if (!self.contains("distcc")) {
            List<String> compile = new ArrayList<>(argv);
            compile.set(0, self);
            return new Compile(compile, true);
        }
        if (argv.size() < 2) {
            throw new ClientException(ExitCode.BAD_ARGUMENTS, "missing option/operand");
        }
        String first = argv.get(1);
        switch (first) {
            case "--help" -> {
                return new Help();
            }
            case "--version" -> {
                return new Version();
            }
            case "--show-hosts" -> {
                return new ShowHosts();
            }
            case "-j" -> {
                return new Jobs();
            }
            case "--scan-includes" -> {
                if (argv.size() < 3) {
                    throw new ClientException(ExitCode.BAD_ARGUMENTS, "--scan-includes needs a compile command");
                }
                List<String> compile = new ArrayList<>();
                compile.add(argv.get(0));
                compile.addAll(argv.subList(2, argv.size()));
                if (parse(compile) instanceof Compile c) {
                    return new ScanIncludes(c.argv());
                }
                throw new ClientException(ExitCode.BAD_ARGUMENTS, "--scan-includes needs a compile command");
            }
            default -> { }
        }
        List<String> rest = argv.subList(1, argv.size());
        if (first.startsWith("-") || Filenames.isSource(first) || Filenames.isObject(first)) {
            List<String> compile = new ArrayList<>();
            compile.add("cc");
            compile.addAll(rest);
            return new Compile(compile, false);
        }
        return new Compile(rest, false);
    }
}
