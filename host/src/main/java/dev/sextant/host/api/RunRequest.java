package dev.sextant.host.api;

/**
 * The body of a run request.
 *
 * @param input the text the pipeline works on
 * @param constraint optional: keeps every generate step's output inside a language, as a generate
 *     step's {@code constraint:} in a pipeline file ({@code {"regex": "..."}}, {@code {"json-schema":
 *     {...}}}); the schema must be inline
 */
public record RunRequest(String input, java.util.Map<String, Object> constraint) {
}
