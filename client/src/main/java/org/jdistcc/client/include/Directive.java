package org.jdistcc.client.include;

import java.util.List;

/** One preprocessor directive that matters to include analysis, as written in a file. */
sealed interface Directive {

    /** How an {@code #include} names its file. */
    enum Form {
        /** {@code "name"}: the includer's directory first, then the quote chain. */
        QUOTE,
        /** {@code <name>}: the bracket chain. */
        ANGLE,
        /** Anything else: macros that must expand to one of the other two. */
        COMPUTED
    }

    /**
     * {@code #include}, {@code #import} or {@code #include_next}.
     *
     * @param text the name between the quotes or brackets, or for a computed include the rest of the line
     * @param next whether it is {@code #include_next}
     */
    record Include(Form form, String text, boolean next) implements Directive {
    }

    /**
     * {@code #define NAME body} or {@code #define NAME(params) body}.
     *
     * @param params the parameter names of a function-like macro ({@code ...} for a variadic tail),
     *               or null for an object-like one
     */
    record Define(String name, List<String> params, String body) implements Directive {
        public Define {
            params = params == null ? null : List.copyOf(params);
        }

        boolean functionLike() {
            return params != null;
        }
    }
}
