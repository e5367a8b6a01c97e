package dev.sextant.spi.compress;

/**
 * How much of a text a compressor keeps: a share of its tokens, a number of tokens, or every word
 * whose keep score reaches a threshold.
 *
 * @param kind which of the three
 * @param value the share in (0, 1], the token count (at least 1), or the threshold
 */
public record Budget(Kind kind, double value) {

    /** The kinds of budget. */
    public enum Kind {
        /** Keep this share of the tokens. */
        RATE,
        /** Keep at most this many tokens. */
        TOKENS,
        /** Keep the words whose keep score reaches this. */
        THRESHOLD
    }

    public Budget {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind == Kind.RATE && !(value > 0 && value <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1], was " + value);
        }
        if (kind == Kind.TOKENS && !(value >= 1 && value == Math.rint(value))) {
            throw new IllegalArgumentException("a token budget must be a whole number of at least 1, was " + value);
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("the budget is NaN");
        }
    }

    /** Keep this share of the tokens. */
    public static Budget rate(double rate) {
        return new Budget(Kind.RATE, rate);
    }

    /** Keep at most this many tokens. */
    public static Budget tokens(int tokens) {
        return new Budget(Kind.TOKENS, tokens);
    }

    /** Keep the words whose keep score reaches this. */
    public static Budget threshold(double threshold) {
        return new Budget(Kind.THRESHOLD, threshold);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case RATE -> "rate " + value;
            case TOKENS -> (long) value + " tokens";
            case THRESHOLD -> "threshold " + value;
        };
    }
}
