package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import java.util.Objects;
import org.pf4j.Extension;

/** Creates the {@code diverse-beam} decoder. */
@Extension
public final class DiverseBeamDecoderFactory implements DecoderFactory<DiverseBeamConfig> {

    @Override
    public String type() {
        return "diverse-beam";
    }

    @Override
    public String description() {
        return "Diverse beam search (group beam search): beams in groups, each group penalised for choosing the"
                + " tokens earlier groups chose, so the returned sequences differ.";
    }

    @Override
    public Class<DiverseBeamConfig> configType() {
        return DiverseBeamConfig.class;
    }

    @Override
    public Decoder create(DiverseBeamConfig config, ComponentContext context) throws ConfigException {
        BeamDecoderFactory.checkBeams(config.numBeams(), config.numReturnSequences(), config.lengthPenalty());
        int groups = config.numBeamGroups();
        if (groups < 1) {
            throw new ConfigException("num-beam-groups", "num-beam-groups must be >= 1, got " + groups);
        }
        if (groups > config.numBeams() || config.numBeams() % groups != 0) {
            throw new ConfigException("num-beam-groups", "num-beam-groups (" + groups + ") must divide num-beams ("
                    + config.numBeams() + ") so that every group has as many beams: e.g. num-beams: "
                    + groups * Math.max(1, (config.numBeams() + groups - 1) / groups) + " with num-beam-groups: "
                    + groups);
        }
        if (!(config.diversityPenalty() >= 0) || Double.isInfinite(config.diversityPenalty())) {
            throw new ConfigException("diversity-penalty", "diversity-penalty must be a number >= 0, got "
                    + config.diversityPenalty() + ": e.g. 0.5; 0 makes the groups independent");
        }
        return new BeamSearchDecoder(config.numBeams(), groups, config.diversityPenalty(), config.lengthPenalty(),
                Objects.requireNonNullElse(config.earlyStopping(), EarlyStopping.FALSE), config.numReturnSequences());
    }
}
