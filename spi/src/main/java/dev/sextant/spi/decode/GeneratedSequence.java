package dev.sextant.spi.decode;

/**
 * One generated continuation.
 *
 * @param text the generated text (prompt excluded, cut before a stop string, special tokens
 *     skipped)
 * @param tokenIds the generated ids, in order, including a final EOS if one was produced
 * @param promptTokens the prompt's length in tokens
 * @param tokenLogProbs the model's log-probability of each generated token (before processors),
 *     aligned with {@code tokenIds}; empty when the request did not ask for them
 * @param finishReason why generation stopped
 * @param score what the decoder ranked this sequence by, higher is better: for beam search the sum
 *     of the chosen tokens' log-probabilities (after processors) divided by
 *     {@code length^lengthPenalty}; decoders that do not rank sequences give the sum of
 *     {@code tokenLogProbs} (0 when the request did not ask for them)
 */
public record GeneratedSequence(
        String text, int[] tokenIds, int promptTokens, float[] tokenLogProbs, FinishReason finishReason,
        double score) {

    /** A sequence whose score is the sum of its tokens' log-probabilities. */
    public GeneratedSequence(String text, int[] tokenIds, int promptTokens, float[] tokenLogProbs,
            FinishReason finishReason) {
        this(text, tokenIds, promptTokens, tokenLogProbs, finishReason, sum(tokenLogProbs));
    }

    private static double sum(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }
}
