package dev.sextant.host.config;

import dev.sextant.host.plugin.InstalledType;
import java.util.List;
import java.util.Map;

/**
 * A validated component declaration.
 *
 * @param name its name in the file
 * @param type the installed type that creates it
 * @param config its bound options
 * @param references the other components it names
 * @param line 1-based line of its declaration
 * @param column 1-based column
 * @param options where each option's value is, by key, so errors raised when the component is
 *     created can point at the option
 */
public record ComponentSpec(
        String name, InstalledType type, Record config, List<Reference> references, int line, int column,
        Map<String, Location> options) {

    public ComponentSpec {
        options = Map.copyOf(options);
    }

    /** Where an option's value is, or the component's own place if the key is unknown or absent. */
    public Location locate(String key) {
        Location at = key == null ? null : options.get(key);
        return at != null ? at : new Location(line, column);
    }
}
