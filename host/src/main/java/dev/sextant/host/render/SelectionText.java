package dev.sextant.host.render;

import dev.sextant.host.pipeline.SelectionReport;
import java.util.Locale;

/** A selection for a terminal: a summary line, then each chosen text with its score, best first. */
public final class SelectionText {

    private SelectionText() {
    }

    /** The summary and one line per chosen text, each ending in a newline. */
    public static String render(SelectionReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "selection (%s): %d of %d candidates%n", report.selector(),
                report.selected().size(), report.scored()));
        for (SelectionReport.Chosen c : report.selected()) {
            out.append(String.format(Locale.ROOT, "  %8.4f  %s%n", c.score(), c.text().replace("\n", " ")));
        }
        return out.toString();
    }
}
