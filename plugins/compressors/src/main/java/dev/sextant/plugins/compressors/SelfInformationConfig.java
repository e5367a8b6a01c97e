package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;

/** Options of the {@code self-information} compressor. */
public record SelfInformationConfig(
        @Option(description = "The causal language model whose surprise scores the context: the name of a model"
                + " component (e.g. type onnx-causal-lm); token counts are in its tokenizer.", required = true,
                reference = ComponentKind.MODEL)
        String model,
        @Option(description = "What is kept or dropped whole: token; word (the tokenizer's words, scored by the"
                + " sum over their tokens); phrase (words up to and including one that ends in , ; : . ! ? or"
                + " before a line break); or sentence (words up to one ending in . ! ? or a line break).",
                defaultValue = "word")
        String unit,
        @Option(description = "The most chunks of the context scored in one model call.", defaultValue = "8",
                min = 1, unit = "sequences")
        int maxBatch,
        @Option(description = "Tokens of the preceding context put before each chunk after the first, as"
                + " conditioning only, when a context is longer than the model reads at once; absent: a quarter"
                + " of the model's max positions. Must be less than the model's max positions.", min = 0,
                unit = "tokens")
        Integer contextWindow) {
}
