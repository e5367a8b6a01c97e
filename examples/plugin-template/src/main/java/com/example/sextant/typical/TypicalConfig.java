package com.example.sextant.typical;

import dev.sextant.spi.Option;

/**
 * The options of {@code type: typical}. The host binds the YAML mapping to this record (component
 * names in kebab case), fills in the defaults, checks min and max, and prints the descriptions in
 * its option listing.
 *
 * @param mass how much probability the typical set must hold
 * @param temperature divides the logits before the typical set is chosen
 * @param seed the seed used when a request gives none
 */
public record TypicalConfig(
        @Option(description = "Probability mass of the typical set: tokens whose surprise is closest to the"
                + " expected surprise (the entropy) are kept until they hold this much; 1 keeps all.",
                defaultValue = "0.9", min = 0, max = 1)
        double mass,
        @Option(description = "Divides the logits first: below 1 sharpens the distribution, above 1 flattens it.",
                defaultValue = "1.0", min = 0)
        double temperature,
        @Option(description = "Seeds the random choices when a request gives no seed; the same seed gives the"
                + " same text.", defaultValue = "0")
        long seed) {
}
