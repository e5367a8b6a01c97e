package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.DecoderFactory;
import org.pf4j.Extension;

/** Creates the {@code prompt-lookup} decoder. */
@Extension
public final class PromptLookupDecoderFactory implements DecoderFactory<PromptLookupConfig> {

    @Override
    public String type() {
        return "prompt-lookup";
    }

    @Override
    public String description() {
        return "Greedy decoding sped up by copying drafts from earlier in the text (prompt lookup) and verifying"
                + " them in one model call; the output is exactly greedy's.";
    }

    @Override
    public Class<PromptLookupConfig> configType() {
        return PromptLookupConfig.class;
    }

    @Override
    public Decoder create(PromptLookupConfig config, ComponentContext context) throws ConfigException {
        if (config.maxNgram() < 1) {
            throw new ConfigException("max-ngram", "max-ngram must be >= 1, got " + config.maxNgram()
                    + ": e.g. 3 looks for the last three tokens first");
        }
        if (config.minNgram() < 1) {
            throw new ConfigException("min-ngram", "min-ngram must be >= 1, got " + config.minNgram());
        }
        if (config.minNgram() > config.maxNgram()) {
            throw new ConfigException("min-ngram", "min-ngram (" + config.minNgram() + ") is larger than max-ngram ("
                    + config.maxNgram() + "): lower min-ngram or raise max-ngram");
        }
        if (config.numDraftTokens() < 1) {
            throw new ConfigException("num-draft-tokens", "num-draft-tokens must be >= 1, got "
                    + config.numDraftTokens() + ": e.g. 10; use type: greedy to draft nothing");
        }
        return new PromptLookupDecoder(config.minNgram(), config.maxNgram(), config.numDraftTokens(), config.realign());
    }
}
