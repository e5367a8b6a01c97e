package dev.sextant.plugins.constraints;

import dev.sextant.spi.Option;

/**
 * Options of the {@code regex} processor.
 *
 * @param pattern the regular expression the generated text must match in full
 * @param sampling masked or aligned (grammar-aligned sampling)
 */
public record RegexConfig(
        @Option(description = "The regular expression (ECMAScript syntax, as JSON Schema's pattern) that the"
                + " whole generated text must match; tokens that would leave no way to complete a match are"
                + " banned, and the end of the text is allowed only after a complete match.", required = true)
        String pattern,
        @Option(description = "masked (each step's allowed tokens renormalised, as other engines do) or aligned"
                + " (grammar-aligned sampling: over repeated samples from one prompt, steers toward the model's"
                + " distribution restricted to the constraint; same masks).", defaultValue = "masked")
        String sampling) {
}
