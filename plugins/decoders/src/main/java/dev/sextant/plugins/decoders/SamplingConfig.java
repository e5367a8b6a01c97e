package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code sample} decoder. Warpers apply in Hugging Face's order: temperature, then
 * top-k, then top-p, then min-p; each is off at its default.
 *
 * @param temperature divides the logits before anything else
 * @param topK how many of the most likely tokens to keep
 * @param topP the probability mass of most likely tokens to keep
 * @param minP the smallest probability kept, relative to the most likely token's
 * @param seed the seed used when a request gives none
 */
public record SamplingConfig(
        @Option(description = "Divides the logits before sampling: below 1 sharpens the distribution, above 1"
                + " flattens it; must be > 0 (for temperature 0 use type: greedy).", defaultValue = "1.0", min = 0)
        double temperature,
        @Option(description = "Keeps only the k most likely tokens (tokens tied with the k-th are kept too);"
                + " 0 keeps all.", defaultValue = "0", min = 0, unit = "tokens")
        int topK,
        @Option(description = "Nucleus sampling: keeps the smallest set of most likely tokens whose probabilities"
                + " add up to at least this; 1 keeps all.", defaultValue = "1.0", min = 0, max = 1)
        double topP,
        @Option(description = "Drops tokens less likely than this fraction of the most likely token's"
                + " probability; 0 keeps all.", defaultValue = "0", min = 0, max = 1)
        double minP,
        @Option(description = "Seeds the random choices when a request gives no seed; the same seed and request"
                + " give the same text.", defaultValue = "0")
        long seed) {
}
