package dev.sextant.spi.decode;

/** Why a sequence stopped. */
public enum FinishReason {
    /** The model produced an end-of-sequence token. */
    EOS,
    /** The text reached one of the request's stop strings. */
    STOP_STRING,
    /** The request's {@code maxNewTokens} was reached. */
    MAX_TOKENS,
    /** The model's context window was full. */
    CONTEXT_FULL
}
