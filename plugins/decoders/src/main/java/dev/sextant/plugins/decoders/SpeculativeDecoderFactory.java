package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import dev.sextant.spi.model.LanguageModel;
import java.util.List;
import org.pf4j.Extension;

/** Creates the {@code speculative} decoder. */
@Extension
public final class SpeculativeDecoderFactory implements DecoderFactory<SpeculativeConfig> {

    @Override
    public String type() {
        return "speculative";
    }

    @Override
    public String description() {
        return "Speculative decoding: a small draft model with the same tokenizer proposes tokens that the model"
                + " verifies in one call; greedy output is exactly greedy's, sampled output has the model's own"
                + " distribution.";
    }

    @Override
    public Class<SpeculativeConfig> configType() {
        return SpeculativeConfig.class;
    }

    @Override
    public Decoder create(SpeculativeConfig config, ComponentContext context) throws ConfigException {
        if (config.draft() == null || config.draft().isBlank()) {
            throw new ConfigException("draft", "draft is missing: name the draft model component, e.g. draft:"
                    + " story-lm-draft");
        }
        LanguageModel draft = model(context, config.draft(), "draft");
        if (config.numDraftTokens() < 1) {
            throw new ConfigException("num-draft-tokens", "num-draft-tokens must be >= 1, got "
                    + config.numDraftTokens() + ": e.g. 4");
        }
        List<LogitsWarper> warpers = List.of();
        if (config.doSample()) {
            warpers = SamplingDecoderFactory.warpers(new SamplingConfig(config.temperature(), config.topK(),
                    config.topP(), config.minP(), config.seed()));
        }
        if (config.target() != null && !config.target().isBlank()) {
            SpeculativeDecoder.checkTokenizers(config.draft(), draft, model(context, config.target(), "target"));
        }
        if (!(config.confidenceThreshold() >= 0 && config.confidenceThreshold() <= 1)) {
            throw new ConfigException("confidence-threshold", "confidence-threshold must be between 0 and 1, got "
                    + config.confidenceThreshold() + ": e.g. 0.4; 0 turns it off");
        }
        return new SpeculativeDecoder(draft, config.draft(), config.numDraftTokens(), config.adaptive(),
                config.confidenceThreshold(), config.doSample(), warpers, config.seed());
    }

    private static LanguageModel model(ComponentContext context, String name, String key) throws ConfigException {
        try {
            return context.component(name, LanguageModel.class);
        } catch (ConfigException e) {
            throw new ConfigException(key, key + " names '" + name + "', which is not a causal language model"
                    + " component of this file: " + e.getMessage(), e);
        }
    }
}
