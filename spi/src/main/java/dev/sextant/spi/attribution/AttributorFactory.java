package dev.sextant.spi.attribution;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates attribution methods (types such as {@code reagent}).
 *
 * @param <C> the config record
 */
public interface AttributorFactory<C extends Record> extends ComponentFactory<C, Attributor> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.ATTRIBUTOR;
    }
}
