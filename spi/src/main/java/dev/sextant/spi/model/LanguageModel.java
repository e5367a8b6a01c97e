package dev.sextant.spi.model;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.List;

/**
 * A causal language model (or, later, the decoder half of an encoder-decoder model). Two ways in:
 * a {@link DecodingState} for generating, and {@link #logProbabilities} for scoring whole
 * sequences (attribution, compression).
 */
public interface LanguageModel extends Model {

    /**
     * Prefills a batch of prompts and returns a state positioned after each prompt. Prompts of
     * different lengths are padded on the left; each row's logits are those of its own prompt.
     *
     * @param prompts token ids per row, none empty
     * @throws dev.sextant.spi.InputException if a prompt is empty or longer than the limits allow
     */
    DecodingState start(List<int[]> prompts, RunLimits limits) throws SextantException;

    /**
     * Log-probabilities of each token of each sequence given the tokens before it, computed in
     * batches.
     *
     * @return per sequence, an array of its length where entry {@code t} is
     *     {@code log P(seq[t] | seq[0..t))}; entry 0 is {@code NaN} (nothing precedes it)
     */
    float[][] logProbabilities(List<int[]> sequences, RunLimits limits) throws SextantException;

    /**
     * The logits of the token that would follow each sequence, for a batch: what attribution needs
     * for thousands of perturbed copies of one prompt. Implementations should compute and copy no
     * more than the last position's logits where the model allows; sequences may differ in length.
     * The default runs {@link #start} and reads each row's logits.
     *
     * @param sequences token ids per row, none empty
     * @return per sequence, {@link ModelInfo#vocabSize()} logits
     * @throws dev.sextant.spi.InputException if a sequence is empty or longer than the limits allow
     */
    default float[][] nextTokenLogits(List<int[]> sequences, RunLimits limits) throws SextantException {
        try (DecodingState state = start(sequences, limits)) {
            float[][] out = new float[sequences.size()][];
            for (int r = 0; r < out.length; r++) {
                out[r] = state.logits(r).clone();
            }
            return out;
        }
    }
}
