package dev.sextant.plugins.attribution;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.attribution.AttributorFactory;
import org.pf4j.Extension;

/** Creates the {@code random} baseline attributor. */
@Extension
public final class RandomFactory implements AttributorFactory<RandomConfig> {

    @Override
    public String type() {
        return "random";
    }

    @Override
    public String description() {
        return "Random scores (seeded): the baseline that any attribution method must beat.";
    }

    @Override
    public Class<RandomConfig> configType() {
        return RandomConfig.class;
    }

    @Override
    public Attributor create(RandomConfig config, ComponentContext context) {
        return new RandomAttributor();
    }
}
