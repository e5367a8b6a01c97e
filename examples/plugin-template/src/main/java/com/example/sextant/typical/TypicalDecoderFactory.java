package com.example.sextant.typical;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import org.pf4j.Extension;

/**
 * Makes {@code type: typical} available. {@code @Extension} puts this class in the plugin's
 * {@code META-INF/extensions.idx}, where the host finds it.
 */
@Extension
public final class TypicalDecoderFactory implements DecoderFactory<TypicalConfig> {

    @Override
    public String type() {
        return "typical";
    }

    @Override
    public String description() {
        return "Locally typical sampling: draws from the tokens whose surprise is closest to the model's"
                + " entropy (Meister et al. 2022).";
    }

    @Override
    public Class<TypicalConfig> configType() {
        return TypicalConfig.class;
    }

    /** Checks what the host cannot (open bounds), with messages that say how to fix them. */
    @Override
    public Decoder create(TypicalConfig config, ComponentContext context) throws ConfigException {
        if (!(config.mass() > 0 && config.mass() <= 1)) {
            throw new ConfigException("mass", "mass must be in (0, 1], got " + config.mass()
                    + ": 0.9 keeps the typical tokens holding 90% of the probability, 1 turns the filter off");
        }
        if (config.temperature() == 0) {
            throw new ConfigException("temperature",
                    "temperature 0 is greedy: use type: greedy, or set temperature > 0");
        }
        if (!(config.temperature() > 0) || Double.isInfinite(config.temperature())) {
            throw new ConfigException("temperature", "temperature must be a number > 0, got "
                    + config.temperature());
        }
        return new TypicalDecoder(config.mass(), config.temperature(), config.seed());
    }
}
