package dev.sextant.spi.model;

import dev.sextant.spi.SextantException;

/**
 * One batch of sequences being extended token by token. Holds the model's cache (native memory):
 * use it from one thread and close it. Row indices are 0..{@link #rows()}-1.
 */
public interface DecodingState extends AutoCloseable {

    /** Number of rows. */
    int rows();

    /** The tokens of a row so far: its prompt followed by every token appended (and not rewound). */
    int[] tokens(int row);

    /** Length of a row's prompt. */
    int promptLength(int row);

    /**
     * Next-token logits of a row: a fresh array of {@code vocabSize} floats, which the caller may
     * modify.
     */
    float[] logits(int row);

    /**
     * The index of a row's largest next-token logit (the lowest such index on a tie), or -1 if none is
     * above {@code -Infinity} (all {@code -Infinity} or NaN): what greedy decoding without processors
     * needs, without copying the logits. The default scans {@link #logits(int)}.
     */
    default int argmax(int row) {
        return argmax(logits(row));
    }

    /** The index of the largest value (the lowest on a tie), or -1 if none is above {@code -Infinity}. */
    static int argmax(float[] values) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (values[i] > max) {
                max = values[i];
                best = i;
            }
        }
        return best;
    }

    /** Appends one token to every row and runs the model one step. */
    void append(int[] nextTokens) throws SextantException;

    /**
     * Appends several tokens to every row in one model call (all rows the same count), as
     * speculative decoding verifies a draft.
     *
     * @return per row, the logits after each appended token: {@code [row][i][vocab]}; afterwards
     *     {@link #logits(int)} equals the last of them
     */
    float[][][] appendAll(int[][] tokens) throws SextantException;

    /**
     * Rearranges rows: new row {@code i} becomes a copy of current row {@code sourceRows[i]}. The
     * batch size becomes {@code sourceRows.length}. Beam search uses this to keep, drop and
     * duplicate beams.
     *
     * @throws IllegalArgumentException if {@code sourceRows} is empty or names a row that does not exist
     */
    void fork(int[] sourceRows) throws SextantException;

    /**
     * Forgets the last {@code count} tokens of a row (rejected speculation). The row's logits
     * become those after its remaining last token.
     *
     * @throws IllegalArgumentException if it would remove prompt tokens
     */
    void rewind(int row, int count) throws SextantException;

    @Override
    void close();
}
