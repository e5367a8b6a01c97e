package dev.sextant.spi.decode;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * Creates decoders (types such as {@code greedy}, {@code sample}).
 *
 * @param <C> the config record
 */
public interface DecoderFactory<C extends Record> extends ComponentFactory<C, Decoder> {

    @Override
    default ComponentKind kind() {
        return ComponentKind.DECODER;
    }
}
