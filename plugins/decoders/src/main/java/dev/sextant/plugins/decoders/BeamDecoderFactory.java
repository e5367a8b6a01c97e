package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import java.util.Objects;
import org.pf4j.Extension;

/** Creates the {@code beam} decoder. */
@Extension
public final class BeamDecoderFactory implements DecoderFactory<BeamConfig> {

    @Override
    public String type() {
        return "beam";
    }

    @Override
    public String description() {
        return "Beam search: keeps the num-beams most likely partial sequences at every step and returns the best"
                + " finished ones, scored by log-probability over length^length-penalty.";
    }

    @Override
    public Class<BeamConfig> configType() {
        return BeamConfig.class;
    }

    @Override
    public Decoder create(BeamConfig config, ComponentContext context) throws ConfigException {
        checkBeams(config.numBeams(), config.numReturnSequences(), config.lengthPenalty());
        return new BeamSearchDecoder(config.numBeams(), 1, 0, config.lengthPenalty(),
                Objects.requireNonNullElse(config.earlyStopping(), EarlyStopping.FALSE), config.numReturnSequences());
    }

    /** The checks beam and diverse-beam share. */
    static void checkBeams(int numBeams, int numReturn, double lengthPenalty) throws ConfigException {
        if (numBeams < 1) {
            throw new ConfigException("num-beams", "num-beams must be >= 1, got " + numBeams
                    + ": e.g. 4 keeps four partial sequences per step (1 is greedy decoding)");
        }
        if (numReturn < 1) {
            throw new ConfigException("num-return-sequences", "num-return-sequences must be >= 1, got " + numReturn);
        }
        if (numReturn > numBeams) {
            throw new ConfigException("num-return-sequences", "num-return-sequences is " + numReturn
                    + " but only num-beams = " + numBeams + " sequences are kept: raise num-beams to at least "
                    + numReturn + " or lower num-return-sequences");
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw new ConfigException("length-penalty", "length-penalty must be a finite number, got "
                    + lengthPenalty + ": 1.0 is the usual setting, 0 turns length normalisation off");
        }
    }
}
