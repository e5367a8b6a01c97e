package dev.sextant.spi.model;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import java.util.List;

/**
 * A bidirectional encoder with a masked-language-model head (BERT style): it predicts the tokens
 * at masked positions from the context on both sides. Attribution uses it to propose plausible
 * replacement tokens.
 */
public interface MaskedLanguageModel extends Model {

    /** The id of the mask token in {@link #tokenizer()}'s vocabulary. */
    int maskTokenId();

    /**
     * Logits at the masked positions of each sequence, computed in batches.
     *
     * @param sequences token ids per row, with {@link #maskTokenId()} where a prediction is wanted
     * @return per sequence, one {@link ModelInfo#vocabSize()}-long logits array per masked position,
     *     in position order (none for a sequence without a mask token)
     * @throws dev.sextant.spi.InputException if a sequence is empty or longer than the limits allow
     */
    float[][][] maskedLogits(List<int[]> sequences, RunLimits limits) throws SextantException;
}
