package org.jdistcc.client.state;

import java.util.Locale;

/** Where a job's result came from, for counting. */
public enum Outcome {
    /** A remote host compiled it (its compiler's failure included, when returned as it is). */
    REMOTE,
    /** It ran locally by nature: not distributable (link, -E, ...), or a {@code localhost} slot won. */
    LOCAL,
    /** Distribution failed and it ran locally instead. */
    FALLBACK,
    /** The remote compiler failed and it was compiled again locally (distcc's default). */
    RETRIED_LOCALLY,
    /** The local preprocessor failed; that is the job's result. */
    PREPROCESS_FAILED,
    /** Distribution failed and fallbacks are disabled, or the engine failed. */
    FAILED,
    /** The caller went away (Ctrl-C, make killed it). */
    CANCELLED;

    /** The label: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
