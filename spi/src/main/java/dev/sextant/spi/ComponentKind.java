package dev.sextant.spi;

/** The kinds of component a pipeline file can declare. */
public enum ComponentKind {
    /** Not a component reference (used as the default of {@link Option#reference()}). */
    NONE,
    /** A model: causal language model, encoder, token classifier. */
    MODEL,
    /** A decoder: turns next-token logits into text. */
    DECODER,
    /** A logits processor: adjusts scores before a decoder chooses. */
    PROCESSOR,
    /** An attribution method. */
    ATTRIBUTOR,
    /** A prompt compressor or data selector. */
    COMPRESSOR,
    /** A task head on encoder embeddings. */
    HEAD;

    /** The YAML spelling, e.g. {@code model}. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
