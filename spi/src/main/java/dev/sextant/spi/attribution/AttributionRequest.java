package dev.sextant.spi.attribution;

import dev.sextant.spi.RunLimits;
import java.util.Objects;

/**
 * What to explain: a prompt and the continuation the model produced (or any continuation to score).
 *
 * @param input the prompt text
 * @param target the continuation text whose tokens are explained
 * @param seed seeds random choices of the method (e.g. which tokens to replace)
 * @param limits input length, deadline and cancellation
 */
public record AttributionRequest(String input, String target, long seed, RunLimits limits) {

    public AttributionRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        limits = Objects.requireNonNullElse(limits, RunLimits.DEFAULT);
    }
}
