package dev.sextant.host.config;

import dev.sextant.host.plugin.InstalledType;
import java.util.List;

/**
 * A validated component declaration.
 *
 * @param name its name in the file
 * @param type the installed type that creates it
 * @param config its bound options
 * @param references the other components it names
 * @param line 1-based line of its declaration
 * @param column 1-based column
 */
public record ComponentSpec(
        String name, InstalledType type, Record config, List<Reference> references, int line, int column) {
}
