package dev.sextant.spi.compress;

import java.util.List;
import java.util.Map;

/**
 * A compression result.
 *
 * @param text the compressed text to pass on
 * @param kept spans of the original kept, in order
 * @param dropped spans of the original dropped, in order
 * @param words per-word keep scores
 * @param originalTokens the original's token count (in the tokenizer the method names in
 *     {@code info})
 * @param compressedTokens the compressed text's token count, in the same tokenizer
 * @param info the method, its settings and the budget asked for
 */
public record Compression(
        String text, List<Span> kept, List<Span> dropped, List<WordScore> words, int originalTokens,
        int compressedTokens, Map<String, Object> info) {

    public Compression {
        kept = List.copyOf(kept);
        dropped = List.copyOf(dropped);
        words = List.copyOf(words);
        info = Map.copyOf(info);
    }

    /** The share of tokens kept: compressed over original (1 for an empty original). */
    public double achievedRate() {
        return originalTokens == 0 ? 1.0 : compressedTokens / (double) originalTokens;
    }
}
