package dev.sextant.plugins.attribution;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.attribution.AttributorFactory;
import org.pf4j.Extension;

/** Creates the {@code occlusion} attributor. */
@Extension
public final class OcclusionFactory implements AttributorFactory<OcclusionConfig> {

    @Override
    public String type() {
        return "occlusion";
    }

    @Override
    public String description() {
        return "Occlusion / leave-one-out: a token's importance is the drop in the target's probability without it;"
                + " one batched model call per 64 perturbed sequences.";
    }

    @Override
    public Class<OcclusionConfig> configType() {
        return OcclusionConfig.class;
    }

    @Override
    public Attributor create(OcclusionConfig config, ComponentContext context) throws ConfigException {
        return new OcclusionAttributor(config);
    }
}
