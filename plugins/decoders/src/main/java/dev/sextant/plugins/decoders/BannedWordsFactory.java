package dev.sextant.plugins.decoders;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.LogitsProcessorFactory;
import java.util.List;
import org.pf4j.Extension;

/** Creates the {@code banned-words} processor. */
@Extension
public final class BannedWordsFactory implements LogitsProcessorFactory<BannedWordsConfig> {

    @Override
    public String type() {
        return "banned-words";
    }

    @Override
    public String description() {
        return "Keeps the given words and phrases out of the generated text.";
    }

    @Override
    public Class<BannedWordsConfig> configType() {
        return BannedWordsConfig.class;
    }

    @Override
    public LogitsProcessor create(BannedWordsConfig config, ComponentContext context) throws ConfigException {
        List<String> words = config.words();
        if (words == null || words.isEmpty()) {
            throw new ConfigException("words", "words is empty, so nothing would be banned: list at least one"
                    + " word, e.g. words: [dragon], or leave the processor out");
        }
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i) == null || words.get(i).isBlank()) {
                throw new ConfigException("words", "word " + (i + 1) + " of words is empty: remove it or write"
                        + " the word to ban");
            }
        }
        return new BannedWordsProcessor(words);
    }
}
