package dev.sextant.spi.constraint;

/**
 * Where one row's generated text stands in a {@link Constraint}. Not thread-safe; {@link #copy()} gives
 * an independent state (a beam that forks, a speculative draft checked ahead).
 */
public interface ConstraintState {

    /**
     * Writes the tokens that may come next into {@code allowed}, a bit set over token ids
     * ({@code allowed[id >>> 6] & (1L << id)}, at least {@code (vocabulary size + 63) / 64} words):
     * a token is allowed when the text with its bytes can still be completed to a match. End-of-sequence
     * tokens are allowed exactly when the text so far is complete. Every word is overwritten.
     */
    void allowed(long[] allowed);

    /**
     * Appends a token's bytes.
     *
     * @return false, leaving the state unchanged, when the token is not allowed
     */
    boolean advance(int token);

    /** Whether the text so far is a complete match, so the generation may end here. */
    boolean complete();

    /** Whether the text is complete and nothing may follow it: only an end-of-sequence token is allowed. */
    boolean finished();

    /** An independent copy of this state. */
    ConstraintState copy();
}
