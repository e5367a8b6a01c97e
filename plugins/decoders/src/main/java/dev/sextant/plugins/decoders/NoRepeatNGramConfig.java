package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code no-repeat-ngram} processor.
 *
 * @param size the n-gram length that may not repeat
 */
public record NoRepeatNGramConfig(
        @Option(description = "Length of the token sequences that may occur only once in the text, prompt"
                + " included (1 forbids repeating any token).", defaultValue = "3", min = 1, unit = "tokens")
        int size) {
}
