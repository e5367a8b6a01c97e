package dev.sextant.spi.decode;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.LanguageModel;

/** A decoding strategy. Thread-safe: one decoder serves concurrent requests. */
public interface Decoder {

    /**
     * Generates a continuation of each prompt.
     *
     * @param listener receives tokens as they are chosen (use {@link TokenListener#NONE} to ignore)
     * @return one sequence per prompt, in order
     * @throws dev.sextant.spi.InputException if a prompt is empty or too long
     * @throws dev.sextant.spi.CancelledException if the request was cancelled or timed out
     */
    Generation generate(LanguageModel model, GenerationRequest request, TokenListener listener)
            throws SextantException;
}
