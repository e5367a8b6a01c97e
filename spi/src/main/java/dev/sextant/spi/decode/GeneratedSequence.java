package dev.sextant.spi.decode;

/**
 * One generated continuation.
 *
 * @param text the generated text (prompt excluded, cut before a stop string, special tokens
 *     skipped)
 * @param tokenIds the generated ids, in order, including a final EOS if one was produced
 * @param promptTokens the prompt's length in tokens
 * @param tokenLogProbs the model's log-probability of each generated token (before processors),
 *     aligned with {@code tokenIds}
 * @param finishReason why generation stopped
 */
public record GeneratedSequence(
        String text, int[] tokenIds, int promptTokens, float[] tokenLogProbs, FinishReason finishReason) {
}
