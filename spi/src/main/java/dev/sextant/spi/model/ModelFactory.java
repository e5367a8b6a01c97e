package dev.sextant.spi.model;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates models (types such as {@code onnx-causal-lm}). The created object implements
 * {@link LanguageModel}, {@link MaskedLanguageModel} or {@link Encoder}.
 *
 * @param <C> the config record
 */
public interface ModelFactory<C extends Record> extends ComponentFactory<C, Model> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.MODEL;
    }
}
