package dev.sextant.spi.model;

/**
 * Token positions {@code [from, to)} of one {@link Encoding}.
 *
 * @param from the first token's index
 * @param to one past the last token's index
 */
public record TokenRange(int from, int to) {

    public TokenRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("a token range needs 0 <= from <= to, got [" + from + ", " + to + ")");
        }
    }

    /** Number of tokens. */
    public int size() {
        return to - from;
    }
}
