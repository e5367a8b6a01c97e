package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import org.pf4j.Extension;

/** Creates the {@code exact-extract} decoder. */
@Extension
public final class ExactExtractDecoderFactory implements DecoderFactory<ExactExtractConfig> {

    @Override
    public String type() {
        return "exact-extract";
    }

    @Override
    public String description() {
        return "Answers with the span of the prompt's context the model finds most probable (every span up to"
                + " max-words scored exactly, in batches over one prefilled prompt), for extractive questions.";
    }

    @Override
    public Class<ExactExtractConfig> configType() {
        return ExactExtractConfig.class;
    }

    @Override
    public Decoder create(ExactExtractConfig config, ComponentContext context) {
        return new ExactExtractDecoder(config);
    }
}
