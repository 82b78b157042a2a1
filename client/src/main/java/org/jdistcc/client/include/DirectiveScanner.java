package org.jdistcc.client.include;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@code #include}, {@code #include_next}, {@code #import} and {@code #define} directives
 * of one file, the way the preprocessor's first phases see them: backslash-newlines spliced,
 * comments replaced by one space (a comment that spans lines therefore continues the directive it is
 * in), string and character literals kept whole. A file named by {@code __has_include} in an
 * {@code #if} counts as included. Conditionals are ignored on purpose: every directive
 * counts. Bytes are read as ISO-8859-1, so any encoding passes through unchanged. Pure.
 */
final class DirectiveScanner {
    private DirectiveScanner() {
    }

    /** The directives of {@code contents}, in file order. */
    static List<Directive> scan(byte[] contents) {
        String text = withoutComments(spliced(new String(contents, StandardCharsets.ISO_8859_1)));
        List<Directive> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            directive(text.substring(start, end), out);
            start = end + 1;
        }
        return out;
    }

    /** Removes every backslash-newline (also before a CR-LF). */
    static String spliced(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                int j = i + 1;
                if (j < s.length() && s.charAt(j) == '\r') {
                    j++;
                }
                if (j < s.length() && s.charAt(j) == '\n') {
                    i = j;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Replaces each comment by one space, leaving literals alone. */
    static String withoutComments(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                b.append(' ');
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, n);
                b.append(s, i, j);
                i = j;
            } else if (c == '<' && inIncludeLine(b)) {
                // a header name: "//" or "/*" inside <...> is not a comment
                int j = i + 1;
                while (j < n && s.charAt(j) != '>' && s.charAt(j) != '\n') {
                    j++;
                }
                j = Math.min(j + 1, n);
                b.append(s, i, j);
                i = j;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** Whether the line written so far is {@code #include} or similar and nothing after it yet. */
    private static boolean inIncludeLine(StringBuilder b) {
        int lineStart = b.lastIndexOf("\n") + 1;
        String line = b.substring(lineStart).strip();
        return line.startsWith("#") && line.substring(1).strip().matches("(include|include_next|import)");
    }

    private static void directive(String line, List<Directive> out) {
        String s = line.strip();
        if (s.startsWith("%:")) {
            s = "#" + s.substring(2);
        }
        if (!s.startsWith("#")) {
            return;
        }
        s = s.substring(1).stripLeading();
        int w = identifierEnd(s, 0);
        String name = s.substring(0, w);
        String rest = s.substring(w).strip();
        switch (name) {
            case "include", "import" -> include(rest, false, out);
            case "include_next" -> include(rest, true, out);
            case "define" -> define(s.substring(w).stripLeading(), out);
            case "if", "elif" -> hasInclude(rest, out);
            default -> {
                // conditionals and the rest do not matter: every directive counts
            }
        }
    }

    private static void include(String rest, boolean next, List<Directive> out) {
        if (rest.isEmpty()) {
            return;
        }
        char first = rest.charAt(0);
        if (first == '"' || first == '<') {
            int close = rest.indexOf(first == '"' ? '"' : '>', 1);
            if (close > 0) {
                out.add(new Directive.Include(first == '"' ? Directive.Form.QUOTE : Directive.Form.ANGLE,
                        rest.substring(1, close), next));
            }
            return;
        }
        out.add(new Directive.Include(Directive.Form.COMPUTED, rest, next));
    }

    /**
     * {@code __has_include("x.h")} and {@code __has_include_next(<x.h>)} in a condition: the file
     * must be there for the answer to be the same on the server, so it counts as included.
     */
    private static void hasInclude(String condition, List<Directive> out) {
        int at = 0;
        while ((at = condition.indexOf("__has_include", at)) >= 0) {
            int open = condition.indexOf('(', at);
            int close = open < 0 ? -1 : condition.indexOf(')', open);
            if (close < 0) {
                return;
            }
            boolean next = condition.startsWith("__has_include_next", at);
            String arg = condition.substring(open + 1, close).strip();
            if (arg.length() >= 2 && (arg.startsWith("\"") && arg.endsWith("\"") || arg.startsWith("<") && arg.endsWith(">"))) {
                include(arg, next, out);
            }
            at = close;
        }
    }

    private static void define(String s, List<Directive> out) {
        int w = identifierEnd(s, 0);
        if (w == 0) {
            return;
        }
        String name = s.substring(0, w);
        if (w < s.length() && s.charAt(w) == '(') {
            int close = s.indexOf(')', w);
            if (close < 0) {
                return;
            }
            List<String> params = new ArrayList<>();
            for (String p : s.substring(w + 1, close).split(",")) {
                String t = p.strip();
                if (!t.isEmpty()) {
                    params.add(t);
                }
            }
            out.add(new Directive.Define(name, params, s.substring(close + 1).strip()));
        } else {
            out.add(new Directive.Define(name, null, s.substring(w).strip()));
        }
    }

    static int identifierEnd(String s, int from) {
        int i = from;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
            i++;
        }
        return i;
    }
}
