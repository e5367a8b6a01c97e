package dev.sextant.spi.model;

/**
 * Any model component. Models are created once and shared; they are thread-safe. Closing releases
 * native memory; the host closes a model when its pipeline file is unloaded.
 */
public interface Model extends AutoCloseable {

    /** Facts about the model: name, vocabulary, limits, provenance. */
    ModelInfo info();

    /** The tokenizer the model was trained with. */
    Tokenizer tokenizer();

    @Override
    void close();
}
