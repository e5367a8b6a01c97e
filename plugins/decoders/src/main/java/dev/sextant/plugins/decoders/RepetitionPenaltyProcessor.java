package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.LogitsProcessor;

/**
 * Makes tokens already in the row (prompt included) less likely, by the rule of Keskar et al.
 * (2019) as Hugging Face applies it: a positive score is divided by the penalty, a negative one
 * multiplied, so a penalty above 1 always lowers it. Each id is penalised once, however often it
 * occurs. Stateless.
 */
public final class RepetitionPenaltyProcessor implements LogitsProcessor {

    private final float penalty;

    public RepetitionPenaltyProcessor(double penalty) {
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("penalty must be > 0, was " + penalty);
        }
        this.penalty = (float) penalty;
    }

    @Override
    public void process(int row, int[] tokens, int promptLength, float[] scores) {
        boolean[] done = new boolean[scores.length];
        for (int id : tokens) {
            if (id >= 0 && id < scores.length && !done[id]) {
                done[id] = true;
                float score = scores[id];
                scores[id] = score < 0 ? score * penalty : score / penalty;
            }
        }
    }

    @Override
    public String toString() {
        return "repetition-penalty(" + penalty + ")";
    }
}
