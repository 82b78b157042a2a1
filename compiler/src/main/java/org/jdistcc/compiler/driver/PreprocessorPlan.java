package org.jdistcc.compiler.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * gcc's {@code -###} listing of one preprocessor command ({@code gcc ... -E src.c}), with the
 * strings that belong to that job (the input, its base name, the {@code .d} name the driver makes
 * from it, the values of {@code -MF}, {@code -MT} and {@code -MQ}) replaced by markers, so that it
 * gives the {@code cc1 -E} command of any other job of the same shape ({@link Job#template}).
 *
 * <p>A plan is only made when every place a job's string appears in the listing is one of those
 * known places; anything else (the input in another word, a directory derived from it) makes none.
 * It is a prediction all the same: a caller trusts it only after it predicted, word for word, the
 * listing of a job with another input.
 */
public final class PreprocessorPlan {
    /** Options whose value is the job's own: a .d file, its target. */
    private static final Set<String> PER_JOB_OPTIONS = Set.of("-MF", "-MT", "-MQ");
    /** Options that make the driver print or do more than run the preprocessor. */
    private static final Set<String> DRIVER_OPTIONS = Set.of("-v", "--verbose", "-###", "-time", "-wrapper");
    private static final Set<String> PREPROCESSORS = Set.of("cc1", "cc1plus");
    private static final int BASE_NAME = 0;
    private static final int DOT_D = 1;
    private static final int INPUT = 2;
    private static final int OPTION_VALUES = 3;

    private final List<String> command;
    private final Map<String, String> assignments;

    private PreprocessorPlan(List<String> command, Map<String, String> assignments) {
        this.command = List.copyOf(command);
        this.assignments = assignments;
    }

    /**
     * One preprocessor command split into its shape and its own strings.
     *
     * @param template the command with its input and per-job option values replaced by markers
     * @param strings  the job's strings, in marker order: base name, {@code stem.d}, input, option values
     */
    public record Job(List<String> template, List<String> strings) {
        public Job {
            template = List.copyOf(template);
            strings = List.copyOf(strings);
        }

        /**
         * The job of preprocessor command {@code argv} (driver first) whose source is {@code input}, or
         * none when a plan could not serve it: the input not exactly once a word of its own, an option
         * that makes the driver itself print or wrap ({@code -v}, {@code -###}, {@code -time},
         * {@code -wrapper}, {@code -save-temps}), a newline or NUL in a word.
         */
        public static Optional<Job> of(List<String> argv, String input) {
            List<String> template = new ArrayList<>(argv);
            List<String> values = new ArrayList<>();
            int inputs = 0;
            for (int i = 1; i < argv.size(); i++) {
                String a = argv.get(i);
                if (DRIVER_OPTIONS.contains(a) || a.startsWith("-time=") || a.startsWith("-save-temps")
                        || a.indexOf('\n') >= 0 || a.indexOf('\0') >= 0) {
                    return Optional.empty();
                }
                if (a.equals(input)) {
                    inputs++;
                    template.set(i, marker(INPUT));
                } else if (PER_JOB_OPTIONS.contains(a) && i + 1 < argv.size() && !argv.get(i + 1).equals(input)) {
                    i++;
                    template.set(i, marker(OPTION_VALUES + values.size()));
                    values.add(argv.get(i));
                }
            }
            if (inputs != 1 || input.isEmpty()) {
                return Optional.empty();
            }
            String base = input.substring(input.lastIndexOf('/') + 1);
            int dot = base.lastIndexOf('.');
            List<String> strings = new ArrayList<>();
            strings.add(base);
            strings.add((dot > 0 ? base.substring(0, dot) : base) + ".d");
            strings.add(input);
            strings.addAll(values);
            return Optional.of(new Job(template, strings));
        }

        /** The command itself. */
        public List<String> command() {
            return template.stream().map(w -> fill(w, this)).toList();
        }

        public String input() {
            return strings.get(INPUT);
        }

        String baseName() {
            return strings.get(BASE_NAME);
        }

        List<String> optionValues() {
            return strings.subList(OPTION_VALUES, strings.size());
        }
    }

    /** The plan in {@code listing}, which gcc printed for {@code job}; none if it has another shape. */
    public static Optional<PreprocessorPlan> derive(DriverListing listing, Job job) {
        List<String> words = listing.command();
        String program = words.getFirst();
        if (!program.startsWith("/") || !PREPROCESSORS.contains(program.substring(program.lastIndexOf('/') + 1))
                || !words.contains("-E")) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String previous = i > 0 ? words.get(i - 1) : "";
            int option = PER_JOB_OPTIONS.contains(previous) ? job.optionValues().indexOf(w) : -1;
            if (i > 0 && w.equals(job.input())) {
                command.add(marker(INPUT));
            } else if (previous.equals("-dumpbase") && w.equals(job.baseName())) {
                command.add(marker(BASE_NAME));
            } else if ((previous.equals("-MD") || previous.equals("-MMD")) && w.equals(job.strings().get(DOT_D))) {
                command.add(marker(DOT_D));
            } else if (option >= 0) {
                command.add(marker(OPTION_VALUES + option));
            } else if (mentions(w, job) || job.optionValues().contains(w)) {
                return Optional.empty();
            } else {
                command.add(w);
            }
        }
        Map<String, String> assignments = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : listing.assignments().entrySet()) {
            String value = e.getValue();
            for (int k = 0; k < job.optionValues().size(); k++) {
                String v = job.optionValues().get(k);
                if (v.indexOf('\'') >= 0 || v.indexOf('\\') >= 0) {
                    return Optional.empty();
                }
                value = value.replace("'" + v + "'", "'" + marker(OPTION_VALUES + k) + "'");
            }
            if (mentions(value, job)) {
                return Optional.empty();
            }
            assignments.put(e.getKey(), value);
        }
        return Optional.of(new PreprocessorPlan(command, assignments));
    }

    /** The listing gcc would print for {@code job}, a job of the shape this plan was made from. */
    public DriverListing instantiate(Job job) {
        List<String> command = this.command.stream().map(w -> fill(w, job)).toList();
        Map<String, String> assignments = new LinkedHashMap<>();
        this.assignments.forEach((name, value) -> assignments.put(name, fill(value, job)));
        return new DriverListing(command, assignments);
    }

    private static boolean mentions(String word, Job job) {
        return word.contains(job.input()) || word.contains(job.baseName());
    }

    private static String marker(int index) {
        return "\0" + index + "\0";
    }

    private static String fill(String s, Job job) {
        if (s.indexOf('\0') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf('\0', i);
            if (start < 0) {
                out.append(s, i, s.length());
                break;
            }
            int end = s.indexOf('\0', start + 1);
            out.append(s, i, start).append(job.strings().get(Integer.parseInt(s.substring(start + 1, end))));
            i = end + 1;
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.join(" ", command).replace('\0', '%');
    }
}
