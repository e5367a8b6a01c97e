package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;

/** Options of the {@code random-drop} compressor. */
public record RandomDropConfig(
        @Option(description = "Any model component whose tokenizer counts tokens and forms words (e.g. the"
                + " language model that reads the compressed prompt).", required = true,
                reference = ComponentKind.MODEL)
        String model,
        @Option(description = "Seed of the random word scores; the same seed and text drop the same words.",
                defaultValue = "42")
        long seed) {
}
