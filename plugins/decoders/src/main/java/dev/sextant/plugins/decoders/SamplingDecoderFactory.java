package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** Creates the {@code sample} decoder, checking its options together. */
@Extension
public final class SamplingDecoderFactory implements DecoderFactory<SamplingConfig> {

    @Override
    public String type() {
        return "sample";
    }

    @Override
    public String description() {
        return "Draws each token at random from the model's distribution, reshaped by temperature, top-k, top-p"
                + " and min-p; seeded, so the same seed gives the same text.";
    }

    @Override
    public Class<SamplingConfig> configType() {
        return SamplingConfig.class;
    }

    @Override
    public Decoder create(SamplingConfig config, ComponentContext context) throws ConfigException {
        return new SamplingDecoder(warpers(config), config.seed());
    }

    /** The warpers the options ask for, in Hugging Face's order; settings that change nothing add none. */
    static List<LogitsWarper> warpers(SamplingConfig config) throws ConfigException {
        double temperature = config.temperature();
        if (temperature == 0) {
            throw new ConfigException("temperature",
                    "temperature 0 is greedy: use type: greedy, or set temperature > 0");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new ConfigException("temperature", "temperature must be a number > 0, got " + temperature
                    + ": use e.g. 0.7 to sharpen or 1.0 to sample from the model's own distribution");
        }
        if (config.topK() < 0) {
            throw new ConfigException("top-k", "top-k must be >= 0, got " + config.topK() + ": 0 turns it off");
        }
        if (config.topP() == 0) {
            throw new ConfigException("top-p", "top-p 0 keeps no token: set top-p in (0, 1], or 1 to turn it off");
        }
        if (!(config.topP() > 0 && config.topP() <= 1)) {
            throw new ConfigException("top-p", "top-p must be in (0, 1], got " + config.topP()
                    + ": e.g. 0.9 keeps the tokens making up 90% of the probability, 1 turns it off");
        }
        if (!(config.minP() >= 0 && config.minP() <= 1)) {
            throw new ConfigException("min-p", "min-p must be in [0, 1], got " + config.minP()
                    + ": e.g. 0.05 drops tokens 20 times less likely than the best, 0 turns it off");
        }
        List<LogitsWarper> warpers = new ArrayList<>();
        if (temperature != 1) {
            warpers.add(new TemperatureWarper(temperature));
        }
        if (config.topK() > 0) {
            warpers.add(new TopKWarper(config.topK()));
        }
        if (config.topP() < 1) {
            warpers.add(new TopPWarper(config.topP()));
        }
        if (config.minP() > 0) {
            warpers.add(new MinPWarper(config.minP()));
        }
        return warpers;
    }
}
