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
}
