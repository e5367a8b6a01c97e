package dev.sextant.spi.decode;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates logits processors (types such as {@code repetition-penalty}).
 *
 * @param <C> the config record
 */
public interface LogitsProcessorFactory<C extends Record> extends ComponentFactory<C, LogitsProcessor> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.PROCESSOR;
    }
}
