package dev.sextant.plugins.constraints;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.LogitsProcessorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.Extension;

/** Creates the {@code grammar} processor: generation constrained to the texts of a context-free grammar. */
@Extension
public final class GrammarProcessorFactory implements LogitsProcessorFactory<GrammarConfig> {

    @Override
    public String type() {
        return "grammar";
    }

    @Override
    public String description() {
        return "Constrains the generated text to a context-free grammar written in a Lark-like notation, for any"
                + " tokenizer.";
    }

    @Override
    public Class<GrammarConfig> configType() {
        return GrammarConfig.class;
    }

    @Override
    public LogitsProcessor create(GrammarConfig config, ComponentContext context) throws ConfigException {
        boolean inline = config.grammar() != null && !config.grammar().isBlank();
        boolean file = config.grammarFile() != null && !config.grammarFile().isBlank();
        if (inline == file) {
            throw new ConfigException("grammar", "give the grammar either inline (grammar:) or in a file"
                    + " (grammar-file:), not " + (inline ? "both" : "neither"));
        }
        String text = config.grammar();
        String key = "grammar";
        String where = "";
        if (file) {
            key = "grammar-file";
            Path path = context.resolvePath(config.grammarFile());
            where = " of " + path;
            try {
                text = Files.readString(path);
            } catch (IOException e) {
                throw new ConfigException("grammar-file", "cannot read the grammar " + path + ": " + e.getMessage(), e);
            }
        }
        boolean aligned = LanguageProcessor.aligned(config.sampling());
        try {
            Grammar grammar = GrammarCompiler.compile(text, config.start() == null || config.start().isBlank() ? null
                    : config.start());
            return new LanguageProcessor("grammar", grammar, aligned);
        } catch (GrammarSyntaxException e) {
            throw new ConfigException(key, e.located() + where);
        }
    }
}
