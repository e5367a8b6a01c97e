package dev.sextant.spi.compress;

import java.util.List;

/**
 * A compression result.
 *
 * @param text the compressed text to pass on
 * @param kept spans of the original kept, in order
 * @param dropped spans of the original dropped, in order
 * @param words per-word keep scores
 * @param originalTokens the original's token count
 * @param compressedTokens the compressed text's token count
 */
public record Compression(
        String text, List<Span> kept, List<Span> dropped, List<WordScore> words, int originalTokens,
        int compressedTokens) {

    public Compression {
        kept = List.copyOf(kept);
        dropped = List.copyOf(dropped);
        words = List.copyOf(words);
    }
}
