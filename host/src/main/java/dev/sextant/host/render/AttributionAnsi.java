package dev.sextant.host.render;

import dev.sextant.host.pipeline.AttributionReport;
import dev.sextant.host.pipeline.AttributionReport.Evidence;
import java.util.List;
import java.util.Locale;

/**
 * An attribution as a terminal heatmap: for each explained generated token, the words before it
 * with a background from pale to strong red by importance (blue for words that made the token less
 * likely), then its three strongest pieces of evidence. Without colour (not a terminal, or
 * {@code NO_COLOR} set; see {@link TerminalColours}) the same lines mark the top words with their
 * rank instead, e.g. {@code oslo[1]}.
 */
public final class AttributionAnsi {

    /** How many explained tokens are shown before the rest is summarised. */
    public static final int DEFAULT_ROWS = 8;

    // 256-colour backgrounds, weakest to strongest; the stronger ones take white text.
    private static final int[] POSITIVE = {224, 217, 210, 203, 160};
    private static final int[] NEGATIVE = {189, 153, 111, 69, 27};
    private static final String RESET = "\u001B[0m";
    private static final int WIDTH = 100;

    private final boolean colour;
    private final int maxRows;

    /**
     * @param colour whether to use ANSI colours
     * @param maxRows how many explained tokens to show at most
     */
    public AttributionAnsi(boolean colour, int maxRows) {
        this.colour = colour;
        this.maxRows = maxRows;
    }

    /** The heatmap, ending with a newline. */
    public String render(AttributionReport report) {
        StringBuilder out = new StringBuilder();
        AttributionReport.Words words = report.words();
        out.append("attribution (").append(report.method()).append("): ").append(report.rows())
                .append(report.rows() == 1 ? " generated token" : " generated tokens").append(" explained");
        if (colour && report.rows() > 0) {
            out.append("; importance ");
            for (int level = 0; level < POSITIVE.length; level++) {
                out.append(background(POSITIVE[level], level)).append("  ").append(RESET);
            }
            out.append(" low to high, ").append(background(NEGATIVE[2], 2)).append("  ").append(RESET)
                    .append(" lowered it");
        }
        out.append('\n');
        int shown = Math.min(report.rows(), maxRows);
        for (int r = 0; r < shown; r++) {
            List<Float> scores = words.scores().get(r);
            out.append("  ").append(bold("→ " + quoted(report.targetTokens().get(r))))
                    .append(String.format(Locale.ROOT, "  token %d, probability %.3f, entropy %.2f nats%n",
                            report.targetFrom() + r, orNaN(report.targetProbabilities().get(r)),
                            orNaN(report.targetEntropies().get(r))));
            heatmap(out, words, scores, words.top().get(r));
            out.append("    top: ");
            List<Evidence> top = words.top().get(r);
            for (int i = 0; i < top.size(); i++) {
                String word = top.get(i).text().isEmpty() ? "(special)" : safe(top.get(i).text());
                out.append(i == 0 ? "" : ", ").append(word).append(' ').append(score(top.get(i).score()));
            }
            out.append('\n');
        }
        if (report.rows() > shown) {
            out.append("  ... ").append(report.rows() - shown).append(" more generated tokens (all of them: --json or")
                    .append(" --html)\n");
        }
        for (String warning : report.warnings()) {
            out.append("  warning: ").append(warning).append('\n');
        }
        return out.toString();
    }

    /** The words a row is explained by, wrapped at {@link #WIDTH} visible characters. */
    private void heatmap(StringBuilder out, AttributionReport.Words words, List<Float> scores, List<Evidence> top) {
        float max = 0;
        for (Float s : scores) {
            if (s != null) {
                max = Math.max(max, Math.abs(s));
            }
        }
        StringBuilder line = new StringBuilder("    ");
        int visible = 4;
        for (int w = 0; w < scores.size(); w++) {
            Float s = scores.get(w);
            if (s == null) {
                continue;
            }
            String word = words.words().get(w).isEmpty() ? "·" : safe(words.words().get(w));
            String shown;
            int length;
            if (colour) {
                shown = max == 0 ? word : paint(word, s / max);
                length = word.length();
            } else {
                String mark = rankMark(top, w);
                shown = word + mark;
                length = shown.length();
            }
            if (w == words.inputLength() && w > 0) {
                // Generated words before the explained token count too; set them apart.
                shown = "| " + shown;
                length += 2;
            }
            if (visible + length + 1 > WIDTH && visible > 4) {
                out.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append("    ");
                visible = 4;
            }
            line.append(shown).append(' ');
            visible += length + 1;
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String rankMark(List<Evidence> top, int word) {
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i).index() == word) {
                return "[" + (i + 1) + "]";
            }
        }
        return "";
    }

    /** A word on a background for {@code share} of the row's largest absolute score, in -1..1. */
    private static String paint(String word, float share) {
        float a = Math.abs(share);
        if (a < 0.05f) {
            return word;
        }
        int level = Math.min(POSITIVE.length - 1, (int) (a * POSITIVE.length));
        return background(share > 0 ? POSITIVE[level] : NEGATIVE[level], level) + word + RESET;
    }

    private static String background(int colour256, int level) {
        return "\u001B[48;5;" + colour256 + "m\u001B[38;5;" + (level >= 3 ? 231 : 16) + "m";
    }

    private String bold(String text) {
        return colour ? "\u001B[1m" + text + RESET : text;
    }

    private static String quoted(String token) {
        return "\"" + safe(token.replace("\n", "\\n")) + "\"";
    }

    /** Text with control characters shown as '?', so no input or model text can drive the terminal. */
    private static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static float orNaN(Float value) {
        return value == null ? Float.NaN : value;
    }

    private static String score(float value) {
        return Math.abs(value) >= 0.001f || value == 0f ? String.format(Locale.ROOT, "%.3f", value)
                : String.format(Locale.ROOT, "%.1e", value);
    }
}
