package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code repetition-penalty} processor.
 *
 * @param penalty how strongly to discourage tokens already present
 */
public record RepetitionPenaltyConfig(
        @Option(description = "How strongly to discourage tokens already in the text, prompt included: above 1"
                + " discourages (1.2 is a common choice), 1 does nothing, below 1 encourages repetition.",
                defaultValue = "1.2", min = 0)
        double penalty) {
}
