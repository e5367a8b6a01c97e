package dev.sextant.plugins.decoders;

import org.pf4j.Plugin;

/**
 * The {@code decoders} plugin. Its component types are the {@code @Extension} factories of this
 * package; the plugin itself holds no state.
 */
public class DecodersPlugin extends Plugin {
}
