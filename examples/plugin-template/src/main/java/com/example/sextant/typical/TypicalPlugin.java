package com.example.sextant.typical;

import org.pf4j.Plugin;

/**
 * The plugin class named in {@code plugin.properties}. Nothing to do at start or stop here; a plugin
 * that opens resources would release them in {@link #stop()}.
 */
public class TypicalPlugin extends Plugin {
}
