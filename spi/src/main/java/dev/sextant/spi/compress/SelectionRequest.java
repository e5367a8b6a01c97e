package dev.sextant.spi.compress;

import dev.sextant.spi.RunLimits;
import java.util.List;
import java.util.Objects;

/**
 * What to select.
 *
 * @param targets texts the selection should resemble
 * @param candidates texts to choose from
 * @param topK keep at most this many (the best), or {@code null} for no count limit
 * @param threshold keep only candidates scoring at least this, or {@code null} for no score limit
 * @param limits deadline and cancellation
 */
public record SelectionRequest(List<String> targets, List<String> candidates, Integer topK, Double threshold,
        RunLimits limits) {

    public SelectionRequest {
        targets = List.copyOf(targets);
        candidates = List.copyOf(candidates);
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, was " + topK);
        }
        limits = Objects.requireNonNullElse(limits, RunLimits.DEFAULT);
    }
}
