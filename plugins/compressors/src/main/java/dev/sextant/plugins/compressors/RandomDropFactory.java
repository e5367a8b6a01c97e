package dev.sextant.plugins.compressors;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.CompressorFactory;
import dev.sextant.spi.model.Model;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code type: random-drop}: drops randomly chosen words to the budget, counting tokens with a
 * model's tokenizer. It is llmlingua2 with random word scores, so it shares its word handling and
 * rate control: the baseline of the compression evaluation.
 */
@Extension
public class RandomDropFactory implements CompressorFactory<RandomDropConfig> {

    @Override
    public String type() {
        return "random-drop";
    }

    @Override
    public String description() {
        return "Drop randomly chosen words to the budget (seeded): the floor a real compressor must beat.";
    }

    @Override
    public Class<RandomDropConfig> configType() {
        return RandomDropConfig.class;
    }

    @Override
    public Compressor create(RandomDropConfig config, ComponentContext context) throws ConfigException {
        Model model = context.component(config.model(), Model.class);
        Llmlingua2Config settings = new Llmlingua2Config(config.model(), "keep", "first", List.of(), false, false,
                "none", "none", null, 0);
        return new Llmlingua2Compressor("random-drop", new RandomDropScores(model.tokenizer(), config.seed()), 1,
                settings, null);
    }
}
