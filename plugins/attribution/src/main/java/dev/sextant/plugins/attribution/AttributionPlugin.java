package dev.sextant.plugins.attribution;

import org.pf4j.Plugin;

/**
 * The {@code attribution} plugin. Its component types are the {@code @Extension} factories of this
 * package; the plugin itself holds no state.
 */
public class AttributionPlugin extends Plugin {
}
