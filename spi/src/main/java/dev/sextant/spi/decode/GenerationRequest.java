package dev.sextant.spi.decode;

import dev.sextant.spi.RunLimits;
import java.util.List;
import java.util.Objects;

/**
 * What to generate.
 *
 * @param prompts the prompt texts, one row each, encoded with the model's tokenizer (its special
 *     tokens included)
 * @param maxNewTokens the most tokens to generate per row
 * @param stopStrings generation of a row ends when its text contains one of these; the text is cut
 *     before it
 * @param processors applied in order at every step
 * @param seed seeds random choices; the same seed and request give the same text. {@code null}
 *     uses the decoder's configured seed
 * @param limits input length, deadline and cancellation
 * @param logProbs whether each generated token's log-probability is computed
 *     ({@link GeneratedSequence#tokenLogProbs()}; empty arrays otherwise): a pass over the
 *     vocabulary per token, about 5% of a step of a small model, so off where nobody reads them
 */
public record GenerationRequest(
        List<String> prompts,
        int maxNewTokens,
        List<String> stopStrings,
        List<LogitsProcessor> processors,
        Long seed,
        RunLimits limits,
        boolean logProbs) {

    public GenerationRequest {
        prompts = List.copyOf(prompts);
        stopStrings = List.copyOf(stopStrings);
        processors = List.copyOf(processors);
        limits = Objects.requireNonNullElse(limits, RunLimits.DEFAULT);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a generation request needs at least one prompt");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, was " + maxNewTokens);
        }
        for (String stop : stopStrings) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** A request that computes token log-probabilities. */
    public GenerationRequest(List<String> prompts, int maxNewTokens, List<String> stopStrings,
            List<LogitsProcessor> processors, Long seed, RunLimits limits) {
        this(prompts, maxNewTokens, stopStrings, processors, seed, limits, true);
    }

    /** A request for one prompt with no stop strings, processors or seed. */
    public static GenerationRequest of(String prompt, int maxNewTokens) {
        return new GenerationRequest(List.of(prompt), maxNewTokens, List.of(), List.of(), null, RunLimits.DEFAULT);
    }
}
