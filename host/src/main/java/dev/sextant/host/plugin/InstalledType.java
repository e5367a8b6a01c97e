package dev.sextant.host.plugin;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;

/**
 * A component type that a started plugin provides.
 *
 * @param type the YAML {@code type:} name
 * @param kind what it creates
 * @param description the factory's sentence
 * @param pluginId the plugin that provides it
 * @param pluginVersion that plugin's version
 * @param factory the factory
 */
public record InstalledType(
        String type, ComponentKind kind, String description, String pluginId, String pluginVersion,
        ComponentFactory<?, ?> factory) {
}
