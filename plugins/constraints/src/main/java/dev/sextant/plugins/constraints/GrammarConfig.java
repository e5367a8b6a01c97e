package dev.sextant.plugins.constraints;

import dev.sextant.spi.Option;

/**
 * Options of the {@code grammar} processor.
 *
 * @param grammar the grammar, inline
 * @param grammarFile a file holding the grammar
 * @param start the start rule
 * @param sampling masked or aligned (grammar-aligned sampling)
 */
public record GrammarConfig(
        @Option(description = "The grammar (Lark-like: rules 'name: items | items', terminals in upper case,"
                + " \"strings\", /regexes/, ( ) [ ] ? * +, %import common.NAME, %ignore) the generated text must"
                + " belong to, written inline; or give grammar-file.")
        String grammar,
        @Option(description = "A file holding the grammar (relative paths are read from the pipeline file's"
                + " folder); or give grammar inline.")
        String grammarFile,
        @Option(description = "The rule the text must be a whole match of; by default 'start', or else the"
                + " first rule.")
        String start,
        @Option(description = "masked (each step's allowed tokens renormalised, as other engines do) or aligned"
                + " (grammar-aligned sampling: over repeated samples from one prompt, steers toward the model's"
                + " distribution restricted to the constraint; same masks).", defaultValue = "masked")
        String sampling) {
}
