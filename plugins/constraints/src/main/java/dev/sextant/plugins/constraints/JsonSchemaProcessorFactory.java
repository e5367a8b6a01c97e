package dev.sextant.plugins.constraints;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.LogitsProcessorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;

/** Creates the {@code json-schema} processor: generation constrained to JSON documents of a schema. */
@Extension
public final class JsonSchemaProcessorFactory implements LogitsProcessorFactory<JsonSchemaConfig> {

    @Override
    public String type() {
        return "json-schema";
    }

    @Override
    public String description() {
        return "Constrains the generated text to a JSON document that validates against a JSON Schema, for any"
                + " tokenizer.";
    }

    @Override
    public Class<JsonSchemaConfig> configType() {
        return JsonSchemaConfig.class;
    }

    @Override
    @SuppressWarnings("unchecked")
    public LogitsProcessor create(JsonSchemaConfig config, ComponentContext context) throws ConfigException {
        if ((config.schema() == null) == (config.schemaFile() == null || config.schemaFile().isBlank())) {
            throw new ConfigException("schema", "give the schema either inline (schema:) or in a file (schema-file:),"
                    + " not " + (config.schema() == null ? "neither" : "both"));
        }
        JsonSchemaCompiler.Whitespace whitespace;
        try {
            whitespace = JsonSchemaCompiler.Whitespace.valueOf(config.whitespace().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("whitespace", "whitespace must be python or compact, got '"
                    + config.whitespace() + "'");
        }
        Map<String, Object> schema = config.schema();
        String key = "schema";
        String where = "";
        if (schema == null) {
            key = "schema-file";
            Path file = context.resolvePath(config.schemaFile());
            where = " in " + file;
            try {
                schema = new ObjectMapper().readValue(Files.readString(file), Map.class);
            } catch (IOException e) {
                throw new ConfigException("schema-file", "cannot read the schema " + file + ": " + e.getMessage(), e);
            }
        }
        Grammar grammar;
        try {
            grammar = JsonSchemaCompiler.compileGrammar(schema, whitespace);
        } catch (SchemaException e) {
            throw new ConfigException(key, "at " + (e.pointer().isEmpty() ? "the root" : e.pointer()) + where + ": "
                    + e.getMessage());
        }
        if (grammar.isEmpty()) {
            throw new ConfigException(key, "no JSON document satisfies this schema" + where);
        }
        return new LanguageProcessor("json-schema", grammar, LanguageProcessor.aligned(config.sampling()));
    }
}
