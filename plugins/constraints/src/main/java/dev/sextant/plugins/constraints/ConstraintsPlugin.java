package dev.sextant.plugins.constraints;

import org.pf4j.Plugin;

/**
 * The {@code constraints} plugin. Its component types are the {@code @Extension} factories of this
 * package; the plugin itself holds no state.
 */
public class ConstraintsPlugin extends Plugin {
}
