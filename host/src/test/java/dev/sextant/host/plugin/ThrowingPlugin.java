package dev.sextant.host.plugin;

import org.pf4j.Plugin;

/** A plugin class that fails in {@code start()}; copied into a plugin folder by the tests. */
public class ThrowingPlugin extends Plugin {

    /** The message of the exception thrown. */
    public static final String MESSAGE = "this plugin fails on purpose";

    @Override
    public void start() {
        throw new IllegalStateException(MESSAGE);
    }
}
