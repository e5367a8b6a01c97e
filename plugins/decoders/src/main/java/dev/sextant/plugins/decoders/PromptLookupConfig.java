package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code prompt-lookup} decoder (Hugging Face's {@code prompt_lookup_num_tokens},
 * {@code max_matching_ngram_size}).
 *
 * @param maxNgram the longest suffix n-gram looked up
 * @param minNgram the shortest suffix n-gram looked up
 * @param numDraftTokens the most tokens proposed per step
 */
public record PromptLookupConfig(
        @Option(description = "The longest run of the row's last tokens searched for earlier in the prompt and"
                + " generated text; longer matches are tried first.", defaultValue = "3", min = 1, unit = "tokens")
        int maxNgram,
        @Option(description = "The shortest run of last tokens searched for; with no match of at least this"
                + " length a step proposes nothing and costs what a greedy step costs.", defaultValue = "1",
                min = 1, unit = "tokens")
        int minNgram,
        @Option(description = "The most tokens copied from after the match and verified in one model call.",
                defaultValue = "10", min = 1, unit = "tokens")
        int numDraftTokens) {
}
