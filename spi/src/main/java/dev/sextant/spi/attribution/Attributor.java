package dev.sextant.spi.attribution;

import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.LanguageModel;

/** An attribution method. Thread-safe. */
public interface Attributor {

    /**
     * Scores every input token's importance for every target token.
     *
     * @throws dev.sextant.spi.InputException if the input or target is empty or too long
     */
    Attribution attribute(LanguageModel model, AttributionRequest request) throws SextantException;
}
