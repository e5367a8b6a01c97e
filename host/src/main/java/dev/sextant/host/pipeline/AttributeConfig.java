package dev.sextant.host.pipeline;

import dev.sextant.host.config.InvalidOptionException;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;

/** Options of the {@code attribute} step. */
public record AttributeConfig(
        @Option(description = "The language model whose generation is explained; normally the generate step's"
                + " model (another model re-tokenizes the generated text).", required = true,
                reference = ComponentKind.MODEL)
        String model,
        @Option(description = "The attribution method, e.g. a component of type reagent or occlusion.",
                required = true, reference = ComponentKind.ATTRIBUTOR)
        String attributor,
        @Option(description = "Which generated tokens to explain: all, one index (0 is the first generated"
                + " token) or a span like 0-3 (both ends included).", defaultValue = "all")
        String tokens,
        @Option(description = "Seed for the method's random choices; the same seed gives the same scores.",
                defaultValue = "42")
        long seed) {

    public AttributeConfig {
        try {
            TokenSelection.parse(tokens);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("tokens", e.getMessage());
        }
    }

    /** The generated tokens to explain. */
    public TokenSelection selection() {
        return TokenSelection.parse(tokens);
    }
}
