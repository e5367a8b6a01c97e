package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.compress.Selector;
import dev.sextant.spi.compress.SelectorFactory;
import org.pf4j.Extension;

/** Creates the {@code zipfit} data selector. */
@Extension
public final class ZipFitFactory implements SelectorFactory<ZipFitConfig> {

    @Override
    public String type() {
        return "zipfit";
    }

    @Override
    public String description() {
        return "ZIP-FIT data selection: ranks candidate texts by mean compression similarity (1 - NCD, gzip or"
                + " zstd) to a set of target texts; no model, no embeddings.";
    }

    @Override
    public Class<ZipFitConfig> configType() {
        return ZipFitConfig.class;
    }

    @Override
    public Selector create(ZipFitConfig config, ComponentContext context) throws ConfigException {
        return new ZipFitSelector(config, context.componentName());
    }
}
