package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.CompressorFactory;
import dev.sextant.spi.model.LanguageModel;
import org.pf4j.Extension;

/** Creates the {@code self-information} compressor, checking its options against the model. */
@Extension
public final class SelfInformationFactory implements CompressorFactory<SelfInformationConfig> {

    @Override
    public String type() {
        return "self-information";
    }

    @Override
    public String description() {
        return "Selective Context: drops the tokens, words, phrases or sentences a causal language model finds"
                + " least surprising (lowest self-information) until the budget is met.";
    }

    @Override
    public Class<SelfInformationConfig> configType() {
        return SelfInformationConfig.class;
    }

    @Override
    public Compressor create(SelfInformationConfig config, ComponentContext context) throws ConfigException {
        if (config.model() == null || config.model().isBlank()) {
            throw new ConfigException("model", "self-information needs model: the name of a causal language model"
                    + " component (e.g. one of type onnx-causal-lm)");
        }
        LanguageModel model = context.component(config.model(), LanguageModel.class);
        return new SelfInformationCompressor(model, config);
    }
}
