package dev.sextant.plugins.compressors;

import org.pf4j.Plugin;

/** The {@code compressors} plugin: prompt compressors and data selectors. It holds no state. */
public class CompressorsPlugin extends Plugin {
}
