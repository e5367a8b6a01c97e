package dev.sextant.spi.compress;

import dev.sextant.spi.RunLimits;
import java.util.Objects;

/**
 * What to compress.
 *
 * @param context the text to shrink
 * @param question the question the compressed text must still answer, or {@code null}
 * @param rate the target share of tokens to keep, in (0, 1]
 * @param limits input length, deadline and cancellation
 */
public record CompressionRequest(String context, String question, double rate, RunLimits limits) {

    public CompressionRequest {
        Objects.requireNonNull(context, "context");
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1], was " + rate);
        }
        limits = Objects.requireNonNullElse(limits, RunLimits.DEFAULT);
    }
}
