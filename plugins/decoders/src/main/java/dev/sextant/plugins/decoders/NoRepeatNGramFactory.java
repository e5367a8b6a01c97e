package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.LogitsProcessorFactory;
import org.pf4j.Extension;

/** Creates the {@code no-repeat-ngram} processor. */
@Extension
public final class NoRepeatNGramFactory implements LogitsProcessorFactory<NoRepeatNGramConfig> {

    @Override
    public String type() {
        return "no-repeat-ngram";
    }

    @Override
    public String description() {
        return "Forbids any sequence of n tokens from occurring twice in the text, prompt included.";
    }

    @Override
    public Class<NoRepeatNGramConfig> configType() {
        return NoRepeatNGramConfig.class;
    }

    @Override
    public LogitsProcessor create(NoRepeatNGramConfig config, ComponentContext context) throws ConfigException {
        if (config.size() < 1) {
            throw new ConfigException("size", "size must be >= 1, got " + config.size()
                    + ": 3 forbids repeating any three tokens in a row; leave the processor out to allow repeats");
        }
        return new NoRepeatNGramProcessor(config.size());
    }
}
