package dev.sextant.plugins.constraints;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.LogitsProcessorFactory;
import dk.brics.automaton.Automaton;
import org.pf4j.Extension;

/** Creates the {@code regex} processor: generation constrained to a regular expression. */
@Extension
public final class RegexProcessorFactory implements LogitsProcessorFactory<RegexConfig> {

    @Override
    public String type() {
        return "regex";
    }

    @Override
    public String description() {
        return "Constrains the generated text to match a regular expression in full, for any tokenizer.";
    }

    @Override
    public Class<RegexConfig> configType() {
        return RegexConfig.class;
    }

    @Override
    public LogitsProcessor create(RegexConfig config, ComponentContext context) throws ConfigException {
        return new LanguageProcessor("regex(" + config.pattern() + ")", Grammar.regular(compile(config.pattern())),
                LanguageProcessor.aligned(config.sampling()));
    }

    /** The pattern's automaton; a pattern that cannot be compiled, or matches nothing, is a config error. */
    static Automaton compile(String pattern) throws ConfigException {
        if (pattern == null || pattern.isEmpty()) {
            throw new ConfigException("pattern", "pattern is empty: write the regular expression the output must"
                    + " match, e.g. pattern: \"(yes|no)\"");
        }
        Automaton automaton;
        try {
            automaton = EcmaRegex.parse(pattern);
        } catch (RegexSyntaxException e) {
            throw new ConfigException("pattern", e.getMessage() + " at character " + (e.index() + 1) + " of the"
                    + " pattern:\n  " + pattern + "\n  " + " ".repeat(e.index()) + "^");
        }
        if (automaton.isEmpty()) {
            throw new ConfigException("pattern", "pattern " + pattern + " matches no text at all, so nothing could"
                    + " be generated");
        }
        return automaton;
    }
}
