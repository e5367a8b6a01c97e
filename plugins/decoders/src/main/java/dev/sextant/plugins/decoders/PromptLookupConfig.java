package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;

/**
 * Options of the {@code prompt-lookup} decoder (Hugging Face's {@code prompt_lookup_num_tokens},
 * {@code max_matching_ngram_size}).
 *
 * @param maxNgram the longest suffix n-gram looked up
 * @param minNgram the shortest suffix n-gram looked up
 * @param numDraftTokens the most tokens proposed per step
 * @param realign whether a new word (no n-gram match) is drafted past by re-aligning with the text
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
        int numDraftTokens,
        @Option(description = "When the last tokens occur nowhere earlier (the model has just written a word the"
                + " text lacks, e.g. a corrected typo), draft the text from the word after the one it replaced, as"
                + " input-guided aggressive decoding re-aligns after an edit; false drafts nothing then.",
                defaultValue = "true")
        boolean realign) {
}
