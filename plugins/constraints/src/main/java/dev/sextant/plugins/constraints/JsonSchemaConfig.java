package dev.sextant.plugins.constraints;

import dev.sextant.spi.Option;
import java.util.Map;

/**
 * Options of the {@code json-schema} processor.
 *
 * @param schema the schema, inline
 * @param schemaFile a JSON file holding the schema
 * @param whitespace how the generated JSON is spaced
 * @param sampling masked or aligned (grammar-aligned sampling)
 */
public record JsonSchemaConfig(
        @Option(description = "The JSON Schema (draft 2020-12 or 7) the generated text must be a JSON document of,"
                + " written inline in YAML; or give schema-file.")
        Map<String, Object> schema,
        @Option(description = "A JSON file holding the schema (relative paths are read from the pipeline file's"
                + " folder); or give schema inline.")
        String schemaFile,
        @Option(description = "How the JSON is spaced: python (a space after each comma and colon, as Python's"
                + " json.dumps writes it) or compact (no spaces).", defaultValue = "python")
        String whitespace,
        @Option(description = "masked (each step's allowed tokens renormalised, as other engines do) or aligned"
                + " (grammar-aligned sampling: over repeated samples from one prompt, steers toward the model's"
                + " distribution restricted to the constraint; same masks).", defaultValue = "masked")
        String sampling) {
}
