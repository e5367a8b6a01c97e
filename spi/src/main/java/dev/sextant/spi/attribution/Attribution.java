package dev.sextant.spi.attribution;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An attribution result: for each attributed target token (a row), the importance of every token
 * before it (the columns). Columns are the prompt's tokens followed by the target's tokens, so a
 * whole generation fits one matrix: row {@code r} explains the token in column
 * {@link #targetColumn(int)} and its scores are defined for the columns before it only.
 *
 * @param method the method's type, e.g. {@code reagent}
 * @param settings the settings it ran with, for provenance (seed included)
 * @param text the prompt followed by the target: the text that {@code starts} and {@code ends} index
 * @param tokens every column's token as text (its span of {@code text}; empty for special tokens)
 * @param starts each column's first char in {@code text}
 * @param ends each column's char after its last in {@code text}
 * @param inputLength how many leading columns are prompt tokens
 * @param targetFrom the index, among target tokens, of the first attributed one (row 0)
 * @param scores {@code [row][column]} importance; larger means more important; {@code NaN} for
 *     columns at or after the row's own token
 * @param targetProbabilities per row, the model's probability of the target token given everything
 *     before it
 * @param targetEntropies per row, the entropy (nats) of the model's next-token distribution there
 * @param warnings what the user should know about this result (e.g. probes that did not converge)
 */
public record Attribution(
        String method,
        Map<String, Object> settings,
        String text,
        List<String> tokens,
        int[] starts,
        int[] ends,
        int inputLength,
        int targetFrom,
        float[][] scores,
        float[] targetProbabilities,
        float[] targetEntropies,
        List<String> warnings) {

    public Attribution {
        settings = Map.copyOf(settings);
        tokens = List.copyOf(tokens);
        warnings = List.copyOf(warnings);
        int columns = tokens.size();
        if (starts.length != columns || ends.length != columns) {
            throw new IllegalArgumentException("starts and ends need one entry per token");
        }
        if (inputLength < 0 || inputLength > columns) {
            throw new IllegalArgumentException("inputLength " + inputLength + " is outside 0.." + columns);
        }
        if (targetProbabilities.length != scores.length || targetEntropies.length != scores.length) {
            throw new IllegalArgumentException("targetProbabilities and targetEntropies need one entry per row");
        }
        if (inputLength + targetFrom + scores.length > columns) {
            throw new IllegalArgumentException("rows " + targetFrom + ".." + (targetFrom + scores.length)
                    + " reach past the " + (columns - inputLength) + " target tokens");
        }
        for (float[] row : scores) {
            if (row.length != columns) {
                throw new IllegalArgumentException("every row of scores needs one entry per token (" + columns + ")");
            }
        }
    }

    /** Number of attributed target tokens. */
    public int rows() {
        return scores.length;
    }

    /** The column of the target token that row {@code row} explains. */
    public int targetColumn(int row) {
        return inputLength + targetFrom + row;
    }

    /** The target token that row {@code row} explains. */
    public String targetToken(int row) {
        return tokens.get(targetColumn(row));
    }

    /** The prompt's tokens. */
    public List<String> inputTokens() {
        return tokens.subList(0, inputLength);
    }

    /** Columns of row {@code row} ordered by importance, most important first (defined columns only). */
    public int[] ranking(int row) {
        int n = targetColumn(row);
        float[] s = scores[row];
        return java.util.stream.IntStream.range(0, n).boxed()
                .sorted((a, b) -> Float.compare(s[b], s[a]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Sums sub-word scores into words (see {@link WordAttribution}). */
    public WordAttribution words() {
        return WordAttribution.of(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribution a && method.equals(a.method) && settings.equals(a.settings)
                && text.equals(a.text) && tokens.equals(a.tokens) && inputLength == a.inputLength
                && targetFrom == a.targetFrom && Arrays.deepEquals(scores, a.scores)
                && Arrays.equals(targetProbabilities, a.targetProbabilities)
                && Arrays.equals(starts, a.starts) && Arrays.equals(ends, a.ends);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(scores) * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return "Attribution[" + method + ", " + rows() + " rows x " + tokens.size() + " columns]";
    }
}
