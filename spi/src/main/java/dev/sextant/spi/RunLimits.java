package dev.sextant.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The limits every call runs under. Components check them between steps through {@link #check()}.
 *
 * @param maxInputTokens the most tokens one input may have; longer inputs are refused with an
 *     {@link InputException}, never silently truncated
 * @param deadline the instant after which the call stops with a {@link CancelledException}, or
 *     {@code null} for none
 * @param cancellation polled between steps
 */
public record RunLimits(int maxInputTokens, Instant deadline, Cancellation cancellation) {

    /** Defaults: 4096 input tokens, no deadline, no cancellation. */
    public static final RunLimits DEFAULT = new RunLimits(4096, null, Cancellation.NONE);

    public RunLimits {
        if (maxInputTokens <= 0) {
            throw new IllegalArgumentException("maxInputTokens must be positive, was " + maxInputTokens);
        }
        cancellation = Objects.requireNonNullElse(cancellation, Cancellation.NONE);
    }

    /**
     * Throws if the call was cancelled or its deadline has passed.
     *
     * @throws CancelledException saying which of the two happened
     */
    public void check() throws CancelledException {
        if (cancellation.isCancelled()) {
            throw new CancelledException("the call was cancelled");
        }
        if (deadline != null && Instant.now().isAfter(deadline)) {
            throw new CancelledException("the call passed its deadline (" + deadline + ")");
        }
    }

    /**
     * Refuses an input longer than {@link #maxInputTokens()}.
     *
     * @param what names the input in the message, e.g. {@code "prompt 2"}
     * @param tokens the input's token count
     */
    public void checkInputLength(String what, int tokens) throws InputException {
        if (tokens > maxInputTokens) {
            throw new InputException(what + " has " + tokens + " tokens, more than the limit of "
                    + maxInputTokens + " (raise limits.max-input-tokens or shorten the input)");
        }
    }

    /** A copy with another deadline. */
    public RunLimits withDeadline(Instant newDeadline) {
        return new RunLimits(maxInputTokens, newDeadline, cancellation);
    }

    /** A copy with another cancellation. */
    public RunLimits withCancellation(Cancellation newCancellation) {
        return new RunLimits(maxInputTokens, deadline, newCancellation);
    }
}
