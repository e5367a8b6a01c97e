package dev.sextant.host.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sextant.spi.attribution.Attribution;
import dev.sextant.spi.attribution.WordAttribution;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code attribution} slot: an {@link Attribution} in a form that serialises to plain JSON
 * (undefined scores are {@code null}, not NaN, which JSON lacks) and that the renderers read.
 * Rows are attributed generated tokens; columns are the prompt's tokens, then the generated ones.
 *
 * @param method the attribution method's type, e.g. {@code reagent}
 * @param settings the settings it ran with (seed included; may hold a nested {@code run} map)
 * @param text the prompt followed by the explained generated text; {@code starts} and {@code ends}
 *     index it
 * @param tokens each column's token text
 * @param starts each column's first char in {@code text}
 * @param ends each column's char after its last
 * @param inputLength how many leading columns are prompt tokens
 * @param targetFrom the generated token that row 0 explains (0 is the first generated token)
 * @param scores {@code [row][column]} importance, larger is more important; {@code null} at and after
 *     the row's own token
 * @param targetTokens each row's generated token
 * @param targetProbabilities per row, the model's probability of its token given everything before it
 * @param targetEntropies per row, the entropy (nats) of the model's next-token distribution there
 * @param top per row, the (at most) three highest-scoring columns
 * @param words the same scores summed over words
 * @param warnings what the user should know about this result
 */
public record AttributionReport(
        String method,
        Map<String, Object> settings,
        String text,
        List<String> tokens,
        int[] starts,
        int[] ends,
        @JsonProperty("input_length") int inputLength,
        @JsonProperty("target_from") int targetFrom,
        List<List<Float>> scores,
        @JsonProperty("target_tokens") List<String> targetTokens,
        @JsonProperty("target_probabilities") List<Float> targetProbabilities,
        @JsonProperty("target_entropies") List<Float> targetEntropies,
        List<List<Evidence>> top,
        Words words,
        List<String> warnings) {

    /** How many top columns (or words) each row lists. */
    public static final int TOP = 3;

    /**
     * One piece of evidence for a row.
     *
     * @param index the column (or word) index
     * @param text its token (or word) text
     * @param score its score for the row
     */
    public record Evidence(int index, String text, float score) {
    }

    /**
     * The scores summed over words (see {@link WordAttribution}).
     *
     * @param words each word's text
     * @param starts each word's first char in the report's text
     * @param ends each word's char after its last
     * @param inputLength how many leading words are prompt words
     * @param scores {@code [row][word]}; {@code null} where undefined (the row's own word and after)
     * @param top per row, the (at most) three highest-scoring words
     */
    public record Words(
            List<String> words,
            int[] starts,
            int[] ends,
            @JsonProperty("input_length") int inputLength,
            List<List<Float>> scores,
            List<List<Evidence>> top) {
    }

    /** Number of attributed generated tokens. */
    public int rows() {
        return scores.size();
    }

    /** The column of the token that row {@code row} explains. */
    public int targetColumn(int row) {
        return inputLength + targetFrom + row;
    }

    /** The report in a run's slots, if an attribute step ran. */
    public static Optional<AttributionReport> in(Map<String, Object> slots) {
        return slots.get(RunContext.ATTRIBUTION) instanceof AttributionReport report
                ? Optional.of(report) : Optional.empty();
    }

    /** The report of an attribution, with the step's own warnings after the method's. */
    public static AttributionReport of(Attribution a, List<String> stepWarnings) {
        WordAttribution w = a.words();
        List<String> targetTokens = new ArrayList<>(a.rows());
        List<List<Evidence>> top = new ArrayList<>(a.rows());
        for (int r = 0; r < a.rows(); r++) {
            targetTokens.add(a.targetToken(r));
            top.add(top(a.scores()[r], a.tokens()));
        }
        List<List<Evidence>> topWords = new ArrayList<>(a.rows());
        for (float[] row : w.scores()) {
            topWords.add(top(row, w.words()));
        }
        List<String> warnings = new ArrayList<>(a.warnings());
        warnings.addAll(stepWarnings);
        return new AttributionReport(a.method(), a.settings(), a.text(), a.tokens(), a.starts().clone(),
                a.ends().clone(), a.inputLength(), a.targetFrom(), matrix(a.scores()), targetTokens,
                list(a.targetProbabilities()), list(a.targetEntropies()), top,
                new Words(w.words(), w.starts().clone(), w.ends().clone(), w.inputLength(), matrix(w.scores()),
                        topWords),
                List.copyOf(warnings));
    }

    /** The {@code n} best defined entries of a row, best first. */
    private static List<Evidence> top(float[] row, List<String> texts) {
        List<Evidence> all = new ArrayList<>();
        for (int i = 0; i < row.length; i++) {
            if (Float.isFinite(row[i])) {
                all.add(new Evidence(i, texts.get(i), row[i]));
            }
        }
        all.sort((x, y) -> Float.compare(y.score(), x.score()));
        return List.copyOf(all.subList(0, Math.min(TOP, all.size())));
    }

    private static List<List<Float>> matrix(float[][] scores) {
        List<List<Float>> rows = new ArrayList<>(scores.length);
        for (float[] row : scores) {
            rows.add(list(row));
        }
        return Collections.unmodifiableList(rows);
    }

    /** Boxed values with NaN and infinities as {@code null}, which JSON can carry. */
    private static List<Float> list(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(Float.isFinite(v) ? v : null);
        }
        return Collections.unmodifiableList(out);
    }
}
