package dev.sextant.spi.compress;

/**
 * A character span of the original text.
 *
 * @param start inclusive char offset
 * @param end exclusive char offset
 */
public record Span(int start, int end) {

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }
}
