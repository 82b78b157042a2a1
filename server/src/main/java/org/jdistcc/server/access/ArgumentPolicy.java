package org.jdistcc.server.access;

import java.util.List;
import org.jdistcc.protocol.Printable;

/**
 * Compiler options a client may not send, whatever {@link CompilerPolicy} is in force (even
 * {@code --enable-tcp-insecure}): each one makes the compiler load or run a program the client
 * picks, which would turn a compiler allow-list into "run anything".
 *
 * <p>distcc 3.4 refuses only {@code -fplugin=} and {@code -specs=} (issue #356). jdistcc is secure
 * by default and also refuses the other spellings and options below, plus the same plugin options
 * when they are handed on to the compiler proper through {@code -Xclang}, {@code -mllvm},
 * {@code -Xpreprocessor} or {@code -Wp,}. Options only the linker sees ({@code -Wl,},
 * {@code -Xlinker}) are not checked: the server runs compile jobs only. Options that write files
 * ({@code -MF}, {@code -save-temps=}, {@code -fdump-*}) are not refused either: they write as the
 * daemon's user and are the job's concern.
 *
 * <p>argv[0] is the compiler and is not checked here; every other element is.
 */
public final class ArgumentPolicy {
    /** A refused option: any argument that starts with {@code prefix}. */
    private record Rule(String prefix, String why) {
    }

    /** Checked on every argument and on every value handed on to the compiler proper. */
    private static final List<Rule> RULES = List.of(
            new Rule("-fplugin", "-fplugin loads a shared object into the compiler (distcc 3.4 refuses -fplugin= too)"),
            new Rule("-fpass-plugin", "-fpass-plugin makes clang load a shared object as an LLVM pass"),
            new Rule("-iplugindir", "-iplugindir points gcc's plugin search at a client-chosen directory"),
            new Rule("-specs", "a spec file can make gcc run any command (distcc 3.4 refuses -specs= too)"),
            new Rule("--specs", "--specs is gcc's long spelling of -specs, and a spec file can run any command"),
            new Rule("-wrapper", "-wrapper makes gcc run every sub-program through a client-chosen program"),
            new Rule("-B", "-B makes gcc run cc1, as and collect2 from a client-chosen directory"),
            new Rule("--prefix", "--prefix is gcc's long spelling of -B"),
            new Rule("@", "a response file is read on the server and could carry refused options past this check"));

    /** Checked only on values handed on to clang -cc1 or LLVM, where these load shared objects. */
    private static final List<Rule> PASSED_ON_RULES = List.of(
            new Rule("-load", "-load loads a shared object into clang -cc1 or LLVM"),
            new Rule("-plugin", "-plugin runs a clang plugin"),
            new Rule("-add-plugin", "-add-plugin runs a clang plugin"));

    /** Options whose next argument the driver hands on to the compiler proper unchecked. */
    private static final List<String> PASS_ON_NEXT = List.of("-Xclang", "-mllvm", "-Xpreprocessor");

    /** The same with the value joined by {@code =}, as newer clang accepts. */
    private static final List<String> PASS_ON_JOINED = List.of("-Xclang=", "-mllvm=");

    /** gcc's comma-separated hand-on to the preprocessor (cc1 in gcc). */
    private static final String PASS_ON_COMMAS = "-Wp,";

    private static final ArgumentPolicy STANDARD = new ArgumentPolicy();

    private ArgumentPolicy() {
    }

    /** The rules in the class comment. */
    public static ArgumentPolicy standard() {
        return STANDARD;
    }

    /** Refuses the job at the first dangerous argument after argv[0]. */
    public ArgumentDecision check(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            Rule rule = firstMatch(RULES, arg);
            if (rule != null) {
                return refused(arg, null, rule);
            }
            String previous = i > 1 ? argv.get(i - 1) : "";
            if (PASS_ON_NEXT.contains(previous)) {
                ArgumentDecision decision = checkPassedOn(arg, previous);
                if (decision != null) {
                    return decision;
                }
            }
            for (String joined : PASS_ON_JOINED) {
                if (arg.startsWith(joined)) {
                    ArgumentDecision decision = checkPassedOn(arg.substring(joined.length()), arg);
                    if (decision != null) {
                        return decision;
                    }
                }
            }
            if (arg.startsWith(PASS_ON_COMMAS)) {
                for (String value : arg.substring(PASS_ON_COMMAS.length()).split(",", -1)) {
                    ArgumentDecision decision = checkPassedOn(value, arg);
                    if (decision != null) {
                        return decision;
                    }
                }
            }
        }
        return new ArgumentDecision.Allowed();
    }

    /** Returns a refusal if {@code value}, handed on by {@code carrier}, is dangerous, else null. */
    private static ArgumentDecision checkPassedOn(String value, String carrier) {
        Rule rule = firstMatch(RULES, value);
        if (rule == null) {
            rule = firstMatch(PASSED_ON_RULES, value);
        }
        return rule == null ? null : refused(value, carrier, rule);
    }

    private static Rule firstMatch(List<Rule> rules, String arg) {
        for (Rule rule : rules) {
            if (arg.startsWith(rule.prefix())) {
                return rule;
            }
        }
        return null;
    }

    private static ArgumentDecision refused(String arg, String carrier, Rule rule) {
        String via = carrier == null ? "" : " (handed on by '" + Printable.of(carrier) + "')";
        return new ArgumentDecision.Refused(
                "argument '" + Printable.of(arg) + "'" + via + " is refused: " + rule.why());
    }
}
