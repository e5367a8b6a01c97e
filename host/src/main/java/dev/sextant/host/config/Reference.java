package dev.sextant.host.config;

import dev.sextant.spi.ComponentKind;

/**
 * A config value that names another component, kept with its place in the file so a dangling
 * name can be reported there.
 *
 * @param kind the kind the option expects
 * @param name the component name written
 * @param key the option's key
 * @param line 1-based line
 * @param column 1-based column
 */
public record Reference(ComponentKind kind, String name, String key, int line, int column) {
}
