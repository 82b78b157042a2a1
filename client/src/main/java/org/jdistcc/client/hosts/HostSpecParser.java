package org.jdistcc.client.hosts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdistcc.client.hosts.HostSpec.Options;

/**
 * distcc 3.4's host list grammar ({@code hosts.c}), as a pure function from text to {@link
 * HostList}:
 *
 * <pre>
 * list     := { ws | comment | keyword | host }
 * comment  := '#' ... end of line               ('#' also ends a word: "@h,lzo#x" is "@h,lzo")
 * word     := maximal run of characters other than '#' and " \t\n\v\f\r"
 * keyword  := "--randomize"...                  (prefix match, as distcc)
 *           | "--localslots_cpp" MULT | "--localslots" MULT | "+zeroconf"
 * host     := LOCAL | SSH | TCP
 * LOCAL    := "localhost" [MULT] OPTS           (options are checked, then ignored, as distcc)
 * SSH      := [USER] '@' NAME [MULT] [':' COMMAND] OPTS          (any word holding '@')
 * TCP      := HOSTID [MULT] [':' PORT] [MULT] OPTS               (both orders)
 * HOSTID   := '[' IPv6 ']' | NAME                                (NAME ends at '/', ':' or ',')
 * MULT     := ('/' | '=') 1..1000               PORT := 1..65535
 * OPTS     := { ',' ("lzo" | "cpp" | "down" | "auth" ['=' AUTHNAME]) }
 * </pre>
 *
 * <p>The rule: any error anywhere rejects the whole list with a {@link BadHostSpecException} naming
 * the word, and a list without hosts (unless {@code +zeroconf} promises some) is an error too.
 * Nothing is resolved or read; the parser never reorders (see {@link HostList#shuffled}).
 *
 * <p>Stricter than distcc 3.4, which stops reading a word as soon as it has what it needs: here
 * every character of a host word must fit the grammar ({@code angry,lzo/44}, {@code angry/4x} and
 * {@code angry,lzox} are errors, not {@code angry,lzo} with the rest ignored); a port must be
 * 1..65535 (distcc takes {@code angry:} as port 0); slots are at most 1000; options are whole
 * words; a name may not start with {@code -} (it would reach {@code ssh} as an option) nor hold
 * {@code = [ ] @}; {@code --localslots} words must carry a valid count (distcc silently ignores a bad
 * one); and control characters are errors.
 */
public final class HostSpecParser {
    /** Most slots one host may have: more is a typo, and the sum must fit {@code distcc -j}. */
    public static final int MAX_SLOTS = 1000;
    /** Most hosts one list may hold. */
    public static final int MAX_HOSTS = 100_000;
    /** The origin named by "contained no hosts" when the caller gives none. */
    public static final String DEFAULT_ORIGIN = "the host list";

    private static final String LOCALHOST = "localhost";
    private static final String RANDOMIZE = "--randomize";
    private static final String LOCAL_SLOTS_CPP = "--localslots_cpp";
    private static final String LOCAL_SLOTS = "--localslots";
    private static final String ZEROCONF = "+zeroconf";

    private final List<HostSpec> hosts = new ArrayList<>();
    private int localSlots = HostList.DEFAULT_LOCAL_SLOTS;
    private int localSlotsCpp = HostList.DEFAULT_LOCAL_SLOTS_CPP;
    private boolean randomize;
    private boolean zeroconf;

    private HostSpecParser() {
    }

    /** Parses {@code text}, whose empty-list error names {@value #DEFAULT_ORIGIN}. */
    public static HostList parse(String text) throws BadHostSpecException {
        return parse(text, DEFAULT_ORIGIN);
    }

    /**
     * Parses {@code text} from {@code origin} ({@code $DISTCC_HOSTS} or a file name, for the
     * "contained no hosts" message).
     *
     * @throws BadHostSpecException if any word is invalid, or the list names no hosts
     */
    public static HostList parse(String text, String origin) throws BadHostSpecException {
        HostSpecParser parser = new HostSpecParser();
        parser.words(text);
        if (parser.hosts.isEmpty() && !parser.zeroconf) {
            throw new BadHostSpecException(origin + " contained no hosts; can't distribute work");
        }
        return new HostList(parser.hosts, parser.localSlots, parser.localSlotsCpp, parser.randomize,
                parser.zeroconf);
    }

    /** Splits {@code text} into words, dropping whitespace and comments. */
    private void words(String text) throws BadHostSpecException {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    i++;
                }
            } else if (isSpace(c)) {
                i++;
            } else {
                int end = i;
                while (end < n && !isSpace(text.charAt(end)) && text.charAt(end) != '#') {
                    end++;
                }
                word(text.substring(i, end));
                i = end;
            }
        }
    }

    /** C's {@code isspace} in the C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    private void word(String word) throws BadHostSpecException {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw BadHostSpecException.badWord(word, "control characters are not allowed");
            }
        }
        if (word.startsWith(RANDOMIZE)) {
            randomize = true;
        } else if (word.startsWith(LOCAL_SLOTS_CPP)) {
            localSlotsCpp = keywordCount(word, LOCAL_SLOTS_CPP);
        } else if (word.startsWith(LOCAL_SLOTS)) {
            localSlots = keywordCount(word, LOCAL_SLOTS);
        } else if (word.equals(ZEROCONF)) {
            zeroconf = true;
        } else if (word.startsWith("--")) {
            throw BadHostSpecException.badWord(word, "unknown keyword");
        } else {
            if (hosts.size() == MAX_HOSTS) {
                throw BadHostSpecException.badWord(word, "more than " + MAX_HOSTS + " hosts");
            }
            hosts.add(host(word));
        }
    }

    private static int keywordCount(String word, String keyword) throws BadHostSpecException {
        Word w = new Word(word, keyword.length());
        if (!w.peekIs('=') && !w.peekIs('/')) {
            throw w.error(keyword + " needs =N or /N, N from 1 to " + MAX_SLOTS);
        }
        int count = slots(w, 0);
        w.expectEnd();
        return count;
    }

    private static HostSpec host(String word) throws BadHostSpecException {
        if (word.equals(LOCALHOST) || word.startsWith(LOCALHOST + "/")) {
            return local(word);
        }
        if (word.indexOf('@') >= 0) {
            return ssh(word);
        }
        return tcp(word);
    }

    private static HostSpec.Local local(String word) throws BadHostSpecException {
        Word w = new Word(word, LOCALHOST.length());
        int slots = slots(w, HostSpec.DEFAULT_LOCALHOST_SLOTS);
        options(w);
        w.expectEnd();
        return new HostSpec.Local(slots, word);
    }

    private static HostSpec.Ssh ssh(String word) throws BadHostSpecException {
        int at = word.indexOf('@');
        Optional<String> user = at == 0 ? Optional.empty() : Optional.of(word.substring(0, at));
        Word w = new Word(word, at + 1);
        String host = w.until("/:,");
        checkName(w, host, "after '@'");
        int slots = slots(w, HostSpec.DEFAULT_REMOTE_SLOTS);
        Optional<String> command = Optional.empty();
        if (w.take(':')) {
            String text = w.until(",");
            command = text.isEmpty() ? Optional.empty() : Optional.of(text);
        }
        Options options = options(w);
        w.expectEnd();
        return new HostSpec.Ssh(user, host, command, slots, options, word);
    }

    private static HostSpec.Tcp tcp(String word) throws BadHostSpecException {
        Word w = new Word(word, 0);
        String host;
        if (w.take('[')) {
            host = w.until("]/,");
            if (!w.take(']')) {
                throw w.error("an IPv6 literal needs a closing ']'");
            }
            if (!Ipv6Literal.isValid(host)) {
                throw w.error(BadHostSpecException.quote("[" + host + "]") + " is not an IPv6 address");
            }
        } else {
            host = w.until("/:,");
            checkName(w, host, "");
        }
        int slots = slots(w, HostSpec.DEFAULT_REMOTE_SLOTS);
        int port = HostSpec.DEFAULT_PORT;
        if (w.take(':')) {
            port = port(w);
        }
        slots = slots(w, slots);
        Options options = options(w);
        w.expectEnd();
        return new HostSpec.Tcp(host, port, slots, options, word);
    }

    private static void checkName(Word w, String name, String where) throws BadHostSpecException {
        String place = where.isEmpty() ? "" : " " + where;
        if (name.isBlank()) {
            throw w.error("a host name is required" + place);
        }
        if (name.charAt(0) == '-') {
            throw w.error("a host name cannot start with '-'");
        }
        for (char bad : new char[] {'=', '[', ']', '@'}) {
            if (name.indexOf(bad) >= 0) {
                String hint = bad == '=' ? "; slots are written /N" : "";
                throw w.error("'" + bad + "' is not allowed in host name " + BadHostSpecException.quote(name) + hint);
            }
        }
    }

    /** An optional {@code /N} or {@code =N}; {@code otherwise} if there is none. */
    private static int slots(Word w, int otherwise) throws BadHostSpecException {
        if (!w.peekIs('/') && !w.peekIs('=')) {
            return otherwise;
        }
        int start = w.position();
        w.skip();
        long count = w.number();
        if (count < 1 || count > MAX_SLOTS) {
            w.until("/:,=");
            throw w.error("bad multiplier " + BadHostSpecException.quote(w.since(start))
                    + ": slots must be a number from 1 to " + MAX_SLOTS);
        }
        return (int) count;
    }

    /** The digits after {@code ':'}, which end the word or come before {@code '/'} or {@code ','}. */
    private static int port(Word w) throws BadHostSpecException {
        int start = w.position() - 1;
        long port = w.number();
        if (port < 1 || port > 65535 || !(w.atEnd() || w.peekIs('/') || w.peekIs(','))) {
            w.until("/,");
            throw w.error("bad port " + BadHostSpecException.quote(w.since(start))
                    + ": must be a number from 1 to 65535");
        }
        return (int) port;
    }

    /** Zero or more {@code ,option} words. */
    private static Options options(Word w) throws BadHostSpecException {
        boolean lzo = false;
        boolean cpp = false;
        boolean down = false;
        boolean auth = false;
        Optional<String> authName = Optional.empty();
        while (w.take(',')) {
            String option = w.until(",");
            switch (option) {
                case "lzo" -> lzo = true;
                case "cpp" -> cpp = true;
                case "down" -> down = true;
                case "auth" -> auth = true;
                default -> {
                    if (!option.startsWith("auth=")) {
                        throw w.error("unrecognized option " + BadHostSpecException.quote("," + option));
                    }
                    if (option.length() == "auth=".length()) {
                        throw w.error("the auth name after ',auth=' cannot be empty");
                    }
                    auth = true;
                    authName = Optional.of(option.substring("auth=".length()));
                }
            }
        }
        if (cpp && !lzo) {
            throw w.error(Options.CPP_NEEDS_LZO);
        }
        return new Options(lzo, cpp, down, auth, authName);
    }

    /** A read position in one word; its errors name the whole word. */
    private static final class Word {
        private final String text;
        private int pos;

        Word(String text, int pos) {
            this.text = text;
            this.pos = pos;
        }

        int position() {
            return pos;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        boolean peekIs(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        void skip() {
            pos++;
        }

        boolean take(char c) {
            if (peekIs(c)) {
                pos++;
                return true;
            }
            return false;
        }

        /** Consumes up to (not including) the first of {@code stops} or the end. */
        String until(String stops) {
            int start = pos;
            while (pos < text.length() && stops.indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            return text.substring(start, pos);
        }

        String since(int start) {
            return text.substring(start, pos);
        }

        /** Consumes ASCII digits; their value (capped past any limit we check), or -1 if none. */
        long number() {
            int start = pos;
            long value = 0;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                value = Math.min(value * 10 + (text.charAt(pos) - '0'), Integer.MAX_VALUE);
                pos++;
            }
            return pos == start ? -1 : value;
        }

        void expectEnd() throws BadHostSpecException {
            if (!atEnd()) {
                throw error("unexpected " + BadHostSpecException.quote(text.substring(pos)) + " after "
                        + BadHostSpecException.quote(text.substring(0, pos)));
            }
        }

        BadHostSpecException error(String reason) {
            return BadHostSpecException.badWord(text, reason);
        }
    }
}
