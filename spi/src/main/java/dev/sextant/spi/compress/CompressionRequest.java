package dev.sextant.spi.compress;

import dev.sextant.spi.RunLimits;
import java.util.Objects;

/**
 * What to compress.
 *
 * @param context the text to shrink
 * @param question the question the compressed text must still answer, or {@code null}; it is not
 *     compressed
 * @param budget how much to keep
 * @param limits input length, deadline and cancellation
 */
public record CompressionRequest(String context, String question, Budget budget, RunLimits limits) {

    public CompressionRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(budget, "budget");
        limits = Objects.requireNonNullElse(limits, RunLimits.DEFAULT);
    }

    /** Keep a share of the tokens. */
    public CompressionRequest(String context, String question, double rate, RunLimits limits) {
        this(context, question, Budget.rate(rate), limits);
    }
}
