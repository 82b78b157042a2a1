package org.jdistcc.compiler;

import java.util.List;
import java.util.Objects;

/**
 * The argument scanner's verdict on one compiler command: {@link Distribute} it, or run it
 * {@link Local}ly and say why.
 *
 * <p>Callers switch over it exhaustively. A {@code Distribute} is always consistent: its indices
 * point into its own {@code argv}, at the input and at the argument that holds the output name.
 */
public sealed interface ScanResult {

    /** How the output name appears in {@link Distribute#argv()}. */
    enum OutputForm {
        /** {@code -o NAME}: the index points at NAME. */
        SEPARATE,
        /** {@code -oNAME}: the index points at the whole {@code -oNAME} argument. */
        JOINED,
        /**
         * A bare argument ending in {@code .o}, without {@code -o}: the index points at it. gcc
         * does not write there, and stock distccd fails such a job ("failed to find -o").
         */
        BARE_OBJECT,
        /** No output was given: the scanner appended {@code -o NAME}; the index points at NAME. */
        IMPLIED
    }

    /**
     * A command that can be compiled remotely.
     *
     * @param input       the source file argument, as written
     * @param output      the output file name, as written, or the implied name
     * @param argv        the command, with {@code -o <implied>} appended when it had no output
     * @param assembly    whether {@code -S} was given (the output is assembly, not an object)
     * @param inputIndex  where {@code input} is in {@code argv}
     * @param outputIndex where the argument holding the output name is in {@code argv}
     * @param outputForm  how that argument holds it
     */
    record Distribute(String input, String output, List<String> argv, boolean assembly,
                      int inputIndex, int outputIndex, OutputForm outputForm)
            implements ScanResult {
        public Distribute {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(outputForm, "outputForm");
            argv = List.copyOf(argv);
            Objects.checkIndex(inputIndex, argv.size());
            Objects.checkIndex(outputIndex, argv.size());
        }

        /** Whether the input is already preprocessed, so the client skips cpp. */
        public boolean inputPreprocessed() {
            return Filenames.isPreprocessed(input);
        }
    }

    /**
     * A command that must run on this machine.
     *
     * @param reason which rule decided it
     * @param detail a human-readable sentence naming the offending argument, for logs
     */
    record Local(LocalReason reason, String detail) implements ScanResult {
        public Local {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /** The reason's sentence followed by the detail, for one log line. */
        public String message() {
            return reason.sentence() + " (" + detail + ")";
        }
    }
}
