package dev.sextant.plugins.attribution;

import dev.sextant.spi.Option;

/** Options of the {@code occlusion} attributor. */
public record OcclusionConfig(
        @Option(description = "remove: leave each token out of the sequence (leave-one-out); replace: put the"
                + " baseline token in its place.", defaultValue = "remove")
        String mode,
        @Option(description = "For mode: replace, the token put in place of each occluded token, as text that"
                + " encodes to one token; default the model's padding (or end-of-text) token.")
        String baseline,
        @Option(description = "The most occluded sequences scored in one model call.", defaultValue = "64", min = 1,
                unit = "sequences")
        int maxBatch) {
}
