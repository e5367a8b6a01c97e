package dev.sextant.spi.compress;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates data selectors (types such as {@code zipfit}); they are components of the compressor
 * kind.
 *
 * @param <C> the config record
 */
public interface SelectorFactory<C extends Record> extends ComponentFactory<C, Selector> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.COMPRESSOR;
    }
}
