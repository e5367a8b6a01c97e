package dev.sextant.host.api;

/**
 * The body of a run request.
 *
 * @param input the text the pipeline works on
 */
public record RunRequest(String input) {
}
