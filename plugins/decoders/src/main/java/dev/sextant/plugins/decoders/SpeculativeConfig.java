package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;

/**
 * Options of the {@code speculative} decoder (Hugging Face's {@code assistant_model},
 * {@code num_assistant_tokens}, {@code num_assistant_tokens_schedule},
 * {@code assistant_confidence_threshold}).
 *
 * @param draft the draft model component
 * @param target the target model component, to check the tokenizers at load time
 * @param numDraftTokens how many tokens the draft proposes per step (at first, when adaptive)
 * @param adaptive whether the draft length follows the acceptance
 * @param confidenceThreshold the draft stops proposing after a token it gives less than this probability
 * @param doSample whether to sample instead of decoding greedily
 * @param temperature as for {@code sample}
 * @param topK as for {@code sample}
 * @param topP as for {@code sample}
 * @param minP as for {@code sample}
 * @param seed as for {@code sample}
 */
public record SpeculativeConfig(
        @Option(description = "The draft model: a small causal language model component with the same tokenizer"
                + " as the model the generate step uses.", required = true, reference = ComponentKind.MODEL)
        String draft,
        @Option(description = "The model the decoder will be used with, if known: the draft's tokenizer is then"
                + " checked against it when the file loads (otherwise at the first generation).",
                reference = ComponentKind.MODEL)
        String target,
        @Option(description = "How many tokens the draft proposes per step (the starting length when adaptive).",
                defaultValue = "4", min = 1, unit = "tokens")
        int numDraftTokens,
        @Option(description = "Adapts the draft length as Hugging Face's heuristic does: +2 after a step whose"
                + " draft was accepted in full, -1 (not below 1) otherwise.", defaultValue = "true")
        boolean adaptive,
        @Option(description = "The draft stops proposing after a token to which it gives less than this"
                + " probability (Hugging Face's assistant_confidence_threshold), so that uncertain drafts cost no"
                + " further draft calls; 0 always proposes num-draft-tokens.", defaultValue = "0.4", min = 0, max = 1)
        double confidenceThreshold,
        @Option(description = "Samples instead of decoding greedily; the text is then distributed as the target's"
                + " own sampling with temperature, top-k, top-p and min-p.", defaultValue = "false")
        boolean doSample,
        @Option(description = "With do-sample, divides the logits of both models before sampling; must be > 0.",
                defaultValue = "1.0", min = 0)
        double temperature,
        @Option(description = "With do-sample, keeps only the k most likely tokens; 0 keeps all.", defaultValue = "0",
                min = 0, unit = "tokens")
        int topK,
        @Option(description = "With do-sample, keeps the smallest set of most likely tokens whose probabilities add"
                + " up to at least this; 1 keeps all.", defaultValue = "1.0", min = 0, max = 1)
        double topP,
        @Option(description = "With do-sample, drops tokens less likely than this fraction of the most likely"
                + " token's probability; 0 keeps all.", defaultValue = "0", min = 0, max = 1)
        double minP,
        @Option(description = "With do-sample, seeds the random choices when a request gives no seed.",
                defaultValue = "0")
        long seed) {
}
