package org.jdistcc.client.include;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands the text of a computed include ({@code #include MACRO}) to every value it may take, the
 * way distcc's include server does: every {@code #define} ever seen for a name is a possible meaning,
 * and leaving the name unexpanded is one too, so the result over-approximates what the preprocessor
 * will see. Function-like macros take their arguments expanded, {@code #} stringifies and {@code ##}
 * pastes the arguments as written. Like the include server it re-reads each intermediate text instead
 * of tracking tokens, and inserts no whitespace between an expansion and what follows it.
 *
 * <p>The work is bounded: past {@link #MAX_VALUES} values or {@link #MAX_STEPS} steps the expansion
 * fails with {@link TooComplexException}, which sends the job to plain mode. Pure.
 */
final class MacroExpander {
    static final int MAX_VALUES = 512;
    static final int MAX_STEPS = 20_000;
    private static final int MAX_LENGTH = 4_096;

    private final Map<String, List<Directive.Define>> macros;
    private int steps;

    /** Thrown when the expansion would take more values or steps than allowed. */
    static final class TooComplexException extends Exception {
        TooComplexException(String message) {
            super(message);
        }
    }

    MacroExpander(Map<String, List<Directive.Define>> macros) {
        this.macros = macros;
    }

    /** Every value {@code expression} may expand to, whitespace at either end removed. */
    Set<String> expand(String expression) throws TooComplexException {
        steps = 0;
        Set<String> out = new LinkedHashSet<>();
        for (String v : eval(expression, Set.of())) {
            out.add(v.strip());
        }
        return out;
    }

    private Set<String> eval(String expr, Set<String> disabled) throws TooComplexException {
        if (++steps > MAX_STEPS) {
            throw new TooComplexException("more than " + MAX_STEPS + " expansion steps");
        }
        Set<String> values = new LinkedHashSet<>();
        if (expr.length() > MAX_LENGTH) {
            return values; // a runaway expansion is no file name
        }
        int[] found = firstMacro(expr, disabled);
        if (found == null) {
            values.add(expr);
            return values;
        }
        String prefix = expr.substring(0, found[0]);
        String name = expr.substring(found[0], found[1]);
        String after = expr.substring(found[1]);
        Set<String> afterValues = eval(after, disabled);
        for (String a : afterValues) {
            add(values, prefix + name + a); // the name may stay unexpanded: every define is only a possibility
        }
        Set<String> inner = with(disabled, name);
        List<Directive.Define> defs = macros.get(name);
        for (Directive.Define d : defs) {
            if (!d.functionLike()) {
                for (String a : afterValues) {
                    for (String v : eval(d.body() + a, inner)) {
                        add(values, prefix + v);
                    }
                }
            }
        }
        if (defs.stream().anyMatch(Directive.Define::functionLike)) {
            expandCalls(defs, prefix, after, disabled, values);
        }
        return values;
    }

    /** The values of {@code name(args)rest} for each function-like definition of {@code name}. */
    private void expandCalls(List<Directive.Define> defs, String prefix, String after, Set<String> disabled,
                             Set<String> values) throws TooComplexException {
        int[] end = new int[1];
        List<String> args = arguments(after, end);
        if (args == null) {
            return; // a function-like name without arguments is no call
        }
        Set<String> inner = with(disabled, defs.get(0).name());
        Set<String> rest = eval(after.substring(end[0]), disabled);
        for (Directive.Define d : defs) {
            if (!d.functionLike() || !fits(d, args)) {
                continue;
            }
            for (String body : substitute(d, args, disabled)) {
                for (String r : rest) {
                    for (String v : eval(body + r, inner)) {
                        add(values, prefix + v);
                    }
                }
            }
        }
    }

    private static void add(Set<String> values, String v) throws TooComplexException {
        values.add(v);
        if (values.size() > MAX_VALUES) {
            throw new TooComplexException("more than " + MAX_VALUES + " possible values");
        }
    }

    private static Set<String> with(Set<String> set, String name) {
        Set<String> s = new LinkedHashSet<>(set);
        s.add(name);
        return s;
    }

    /** The bounds of the first identifier of {@code expr}, outside literals, that names an enabled macro. */
    private int[] firstMacro(String expr, Set<String> disabled) {
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'') {
                i = literalEnd(expr, i);
            } else if (Character.isDigit(c)) {
                i = DirectiveScanner.identifierEnd(expr, i); // a pp-number is no name
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int end = DirectiveScanner.identifierEnd(expr, i);
                String id = expr.substring(i, end);
                if (macros.containsKey(id) && !disabled.contains(id)) {
                    return new int[] {i, end};
                }
                i = end;
            } else {
                i++;
            }
        }
        return null;
    }

    private static int literalEnd(String s, int start) {
        char q = s.charAt(start);
        int j = start + 1;
        while (j < s.length() && s.charAt(j) != q) {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, s.length());
    }

    /**
     * The arguments of a call starting at {@code s} (after optional whitespace, an opening parenthesis),
     * split at top-level commas, or null without one; {@code end[0]} is set past the closing parenthesis.
     */
    static List<String> arguments(String s, int[] end) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= s.length() || s.charAt(i) != '(') {
            return null;
        }
        List<String> args = new ArrayList<>();
        int depth = 0;
        int from = i + 1;
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '"' || c == '\'') {
                j = literalEnd(s, j) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth == 0) {
                    args.add(s.substring(from, j).strip());
                    end[0] = j + 1;
                    return args;
                }
            } else if (c == ',' && depth == 1) {
                args.add(s.substring(from, j).strip());
                from = j + 1;
            }
        }
        return null;
    }

    private static boolean fits(Directive.Define d, List<String> args) {
        List<String> p = d.params();
        int given = args.size() == 1 && args.get(0).isEmpty() ? 0 : args.size();
        return variadic(p) ? given >= p.size() - 1 : given == p.size() || p.size() == 1 && given == 0;
    }

    private static boolean variadic(List<String> params) {
        return !params.isEmpty() && params.get(params.size() - 1).endsWith("...");
    }

    /** The name a parameter goes by in the body: {@code __VA_ARGS__} for {@code ...}, {@code args} for {@code args...}. */
    private static String paramName(String p) {
        return p.equals("...") ? "__VA_ARGS__" : p.endsWith("...") ? p.substring(0, p.length() - 3).strip() : p;
    }

    /** The body of {@code d} with its parameters replaced: every combination of the arguments' values. */
    private Set<String> substitute(Directive.Define d, List<String> args, Set<String> disabled)
            throws TooComplexException {
        List<String> params = d.params();
        List<String> tokens = tokens(d.body());
        List<StringBuilder> results = new ArrayList<>();
        results.add(new StringBuilder());
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("#")) {
                int j = nextNonSpace(tokens, i + 1);
                int p = j < tokens.size() ? paramIndex(params, tokens.get(j)) : -1;
                if (p >= 0) {
                    String s = stringify(raw(params, args, p));
                    results.forEach(b -> b.append(s));
                    i = j;
                    continue;
                }
            }
            int p = paramIndex(params, t);
            if (p < 0) {
                results.forEach(b -> b.append(t));
                continue;
            }
            String raw = raw(params, args, p);
            boolean pasted = "##".equals(neighbour(tokens, i, -1)) || "##".equals(neighbour(tokens, i, 1));
            if (pasted) {
                results.forEach(b -> b.append(raw));
                continue;
            }
            List<StringBuilder> next = new ArrayList<>();
            for (String v : eval(raw, disabled)) {
                for (StringBuilder b : results) {
                    next.add(new StringBuilder(b).append(v));
                    if (next.size() > MAX_VALUES) {
                        throw new TooComplexException("more than " + MAX_VALUES + " argument combinations");
                    }
                }
            }
            results = next;
        }
        Set<String> out = new LinkedHashSet<>();
        for (StringBuilder b : results) {
            out.add(b.toString().replaceAll("\\s*##\\s*", ""));
        }
        return out;
    }

    private static String raw(List<String> params, List<String> args, int p) {
        if (variadic(params) && p == params.size() - 1) {
            return p < args.size() ? String.join(",", args.subList(p, args.size())) : "";
        }
        return p < args.size() ? args.get(p) : "";
    }

    private static int paramIndex(List<String> params, String token) {
        for (int i = 0; i < params.size(); i++) {
            if (paramName(params.get(i)).equals(token)) {
                return i;
            }
        }
        return -1;
    }

    private static int nextNonSpace(List<String> tokens, int from) {
        int j = from;
        while (j < tokens.size() && tokens.get(j).isBlank()) {
            j++;
        }
        return j;
    }

    private static String neighbour(List<String> tokens, int i, int step) {
        int j = i + step;
        while (j >= 0 && j < tokens.size() && tokens.get(j).isBlank()) {
            j += step;
        }
        return j >= 0 && j < tokens.size() ? tokens.get(j) : null;
    }

    /** {@code #arg}: the argument as a string literal, inner whitespace runs made one space. */
    static String stringify(String arg) {
        String s = arg.strip().replaceAll("\\s+", " ");
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Splits a macro body into identifiers, literals, {@code ##}, single characters and whitespace runs. */
    static List<String> tokens(String body) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = body.length();
        while (i < n) {
            char c = body.charAt(i);
            int end;
            if (Character.isWhitespace(c)) {
                end = i;
                while (end < n && Character.isWhitespace(body.charAt(end))) {
                    end++;
                }
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                end = DirectiveScanner.identifierEnd(body, i);
            } else if (c == '"' || c == '\'') {
                end = literalEnd(body, i);
            } else if (c == '#' && i + 1 < n && body.charAt(i + 1) == '#') {
                end = i + 2;
            } else {
                end = i + 1;
            }
            out.add(body.substring(i, end));
            i = end;
        }
        return out;
    }
}
