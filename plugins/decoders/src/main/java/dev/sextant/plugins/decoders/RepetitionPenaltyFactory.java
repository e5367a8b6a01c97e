package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.LogitsProcessorFactory;
import org.pf4j.Extension;

/** Creates the {@code repetition-penalty} processor. */
@Extension
public final class RepetitionPenaltyFactory implements LogitsProcessorFactory<RepetitionPenaltyConfig> {

    @Override
    public String type() {
        return "repetition-penalty";
    }

    @Override
    public String description() {
        return "Discourages tokens that already occur in the prompt or the generated text (CTRL-style penalty).";
    }

    @Override
    public Class<RepetitionPenaltyConfig> configType() {
        return RepetitionPenaltyConfig.class;
    }

    @Override
    public LogitsProcessor create(RepetitionPenaltyConfig config, ComponentContext context) throws ConfigException {
        double penalty = config.penalty();
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw new ConfigException("penalty", "penalty must be a number > 0, got " + penalty
                    + ": 1.2 discourages repetition, 1 turns the penalty off");
        }
        return new RepetitionPenaltyProcessor(penalty);
    }
}
