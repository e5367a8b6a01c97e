package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import java.util.List;
import java.util.Map;

/**
 * Options of the {@code generate} step.
 */
public record GenerateConfig(
        @Option(description = "The language model to generate with.", required = true,
                reference = ComponentKind.MODEL)
        String model,
        @Option(description = "The decoder that chooses tokens.", required = true,
                reference = ComponentKind.DECODER)
        String decoder,
        @Option(description = "Logits processors applied in order at every step.", defaultValue = "[]",
                reference = ComponentKind.PROCESSOR)
        List<String> processors,
        @Option(description = "The most tokens to generate.", defaultValue = "64", min = 0, unit = "tokens")
        int maxNewTokens,
        @Option(description = "Generation ends when the text contains one of these; the text is cut before it.",
                defaultValue = "[]")
        List<String> stop,
        @Option(description = "Text put before the prompt, e.g. an instruction.", defaultValue = "")
        String prefix,
        @Option(description = "Text put after the prompt, e.g. ' answer :'.", defaultValue = "")
        String suffix,
        @Option(description = "Seed for random choices; overrides the decoder's seed.")
        Long seed,
        @Option(description = "Whether to compute each generated token's log-probability (the generation slot's"
                + " token_logprobs): a pass over the vocabulary per token, about 5% of a step of story-lm.",
                defaultValue = "false")
        boolean logprobs,
        @Option(description = "Keeps the output inside a language, applied after the processors: {regex:"
                + " <pattern>}, {json-schema: <schema or JSON file>} (plus that processor's options, e.g."
                + " whitespace), or any processor declared inline with type:. It becomes a component named"
                + " <pipeline>/<step>/constraint.")
        Map<String, Object> constraint) {
}
