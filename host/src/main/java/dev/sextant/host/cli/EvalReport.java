package dev.sextant.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of one evaluation run, rendered as a table and a final machine-readable line
 * {@code RESULT <suite> key=value ...}.
 */
public final class EvalReport {

    private final String suite;
    private final Map<String, String> result = new LinkedHashMap<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();
    private final List<String> sections = new ArrayList<>();

    public EvalReport(String suite) {
        this.suite = suite;
    }

    /** A metric that appears in the RESULT line. */
    public EvalReport result(String key, double value) {
        result.put(key, String.format(Locale.ROOT, "%.4f", value));
        return this;
    }

    /** A count that appears in the RESULT line. */
    public EvalReport result(String key, long value) {
        result.put(key, Long.toString(value));
        return this;
    }

    /** A fact shown in the table only. */
    public EvalReport detail(String key, String value) {
        details.put(key, value);
        return this;
    }

    /** An example (e.g. a mistake) shown under the table. */
    public EvalReport example(String line) {
        examples.add(line);
        return this;
    }

    /** A block of text (e.g. a confusion matrix) shown after the table, before the RESULT line. */
    public EvalReport section(String text) {
        sections.add(text);
        return this;
    }

    /** The value of a RESULT metric, as printed. */
    public String value(String key) {
        return result.get(key);
    }

    public String render() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"METRIC", "VALUE"});
        result.forEach((k, v) -> rows.add(new String[] {k, v}));
        details.forEach((k, v) -> rows.add(new String[] {k, v}));
        StringBuilder out = new StringBuilder("Evaluation: ").append(suite).append('\n').append(Views.table(rows));
        if (!examples.isEmpty()) {
            out.append("Examples of mistakes:\n");
            examples.forEach(e -> out.append("  ").append(e).append('\n'));
        }
        sections.forEach(text -> out.append('\n').append(text));
        out.append("RESULT ").append(suite);
        result.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        return out.append('\n').toString();
    }
}
