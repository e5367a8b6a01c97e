package dev.sextant.spi.compress;

/**
 * How much a compressor wanted to keep one word.
 *
 * @param word the word as it appears in the text
 * @param span where it appears
 * @param keepScore higher means more worth keeping; scale is the method's
 * @param kept whether it was kept
 */
public record WordScore(String word, Span span, double keepScore, boolean kept) {
}
