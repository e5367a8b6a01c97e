package dev.sextant.plugins.attribution;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.attribution.AttributorFactory;
import dev.sextant.spi.attribution.Attributor;
import dev.sextant.spi.model.MaskedLanguageModel;
import java.util.List;
import org.pf4j.Extension;

/** Creates the {@code reagent} attributor, checking its options together. */
@Extension
public final class ReagentFactory implements AttributorFactory<ReagentConfig> {

    static final List<String> REPLACERS = List.of("uniform", "model", "mlm");

    @Override
    public String type() {
        return "reagent";
    }

    @Override
    public String description() {
        return "ReAGent: importance from how the target's probability moves when random input tokens are replaced;"
                + " model-agnostic, no gradients; seeded.";
    }

    @Override
    public Class<ReagentConfig> configType() {
        return ReagentConfig.class;
    }

    @Override
    public Attributor create(ReagentConfig config, ComponentContext context) throws ConfigException {
        if (!(config.replacingRatio() > 0 && config.replacingRatio() < 1)) {
            throw new ConfigException("replacing-ratio", "replacing-ratio must be between 0 and 1 (exclusive), got "
                    + config.replacingRatio() + ": e.g. 0.3 replaces about a third of the tokens per step");
        }
        if (config.minProbeSteps() > config.maxProbeSteps()) {
            throw new ConfigException("min-probe-steps", "min-probe-steps (" + config.minProbeSteps()
                    + ") is more than max-probe-steps (" + config.maxProbeSteps() + ")");
        }
        if (config.keepTopN() == 0 && !(config.keepTopRatio() > 0)) {
            throw new ConfigException("keep-top-n", "keep-top-n is 0, so keep-top-ratio must be > 0 (got "
                    + config.keepTopRatio() + "): set one of them");
        }
        return new ReagentAttributor(config, replacer(config, context));
    }

    private static Replacer replacer(ReagentConfig config, ComponentContext context) throws ConfigException {
        String name = config.replacer();
        boolean mlm = "mlm".equals(name);
        if (config.maskedLm() != null && !mlm) {
            throw new ConfigException("masked-lm", "masked-lm is used only with replacer: mlm (replacer is " + name
                    + ")");
        }
        return switch (name) {
            case "uniform" -> new UniformReplacer();
            case "model" -> new ModelPredictionReplacer();
            case "mlm" -> {
                if (config.maskedLm() == null) {
                    throw new ConfigException("masked-lm", "replacer: mlm needs masked-lm: the name of an"
                            + " onnx-masked-lm component that shares the model's tokenizer");
                }
                yield new MaskedLmReplacer(context.component(config.maskedLm(), MaskedLanguageModel.class),
                        config.maskedLm());
            }
            default -> throw new ConfigException("replacer", "unknown replacer '" + name + "'; choose one of "
                    + REPLACERS);
        };
    }
}
