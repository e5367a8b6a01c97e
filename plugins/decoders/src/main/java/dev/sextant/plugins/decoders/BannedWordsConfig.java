package dev.sextant.plugins.decoders;

import dev.sextant.spi.Option;
import java.util.List;

/**
 * Options of the {@code banned-words} processor.
 *
 * @param words the words and phrases that must not be generated
 */
public record BannedWordsConfig(
        @Option(description = "Words and phrases that must not be generated, each matched as the model's"
                + " tokenizer spells it alone and after a space, e.g. [dragon, \"once upon a time\"].",
                required = true)
        List<String> words) {
}
