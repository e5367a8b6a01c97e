package dev.sextant.spi.compress;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates compressors (types such as {@code llmlingua2}).
 *
 * @param <C> the config record
 */
public interface CompressorFactory<C extends Record> extends ComponentFactory<C, Compressor> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.COMPRESSOR;
    }
}
