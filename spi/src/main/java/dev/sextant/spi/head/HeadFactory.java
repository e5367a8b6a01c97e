package dev.sextant.spi.head;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates task heads (types such as {@code tribuo-classifier}).
 *
 * @param <C> the config record
 */
public interface HeadFactory<C extends Record> extends ComponentFactory<C, Head> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.HEAD;
    }
}
