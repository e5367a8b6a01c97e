package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import org.pf4j.Extension;

/** Creates the {@code greedy} decoder. */
@Extension
public final class GreedyDecoderFactory implements DecoderFactory<GreedyConfig> {

    @Override
    public String type() {
        return "greedy";
    }

    @Override
    public String description() {
        return "Picks the most likely token at every step (deterministic; ties go to the lowest token id).";
    }

    @Override
    public Class<GreedyConfig> configType() {
        return GreedyConfig.class;
    }

    @Override
    public Decoder create(GreedyConfig config, ComponentContext context) {
        return new GreedyDecoder();
    }
}
