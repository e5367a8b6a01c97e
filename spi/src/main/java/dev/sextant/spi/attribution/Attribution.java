package dev.sextant.spi.attribution;

import java.util.List;
import java.util.Map;

/**
 * An attribution result.
 *
 * @param method the method's type, e.g. {@code reagent}
 * @param settings the settings it ran with, for provenance
 * @param inputTokens the input's token strings (columns)
 * @param targetTokens the target's token strings (rows)
 * @param scores {@code [target][input]} importance of each input token for each target token;
 *     larger means more important
 * @param targetProbabilities the model's probability of each target token given all before it
 */
public record Attribution(
        String method,
        Map<String, Object> settings,
        List<String> inputTokens,
        List<String> targetTokens,
        float[][] scores,
        float[] targetProbabilities) {

    public Attribution {
        settings = Map.copyOf(settings);
        inputTokens = List.copyOf(inputTokens);
        targetTokens = List.copyOf(targetTokens);
        if (scores.length != targetTokens.size()) {
            throw new IllegalArgumentException("scores needs one row per target token");
        }
    }
}
