package dev.sextant.host.config;

/**
 * A place in a pipeline file.
 *
 * @param line 1-based line
 * @param column 1-based column
 */
public record Location(int line, int column) {
}
