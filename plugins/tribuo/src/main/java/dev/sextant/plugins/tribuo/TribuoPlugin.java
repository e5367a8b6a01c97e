package dev.sextant.plugins.tribuo;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.pf4j.Plugin;

/**
 * The {@code tribuo} plugin. Its one component type is the {@link TribuoHeadFactory}; the plugin
 * itself holds no state (the embedding cache lives in {@link EmbeddingCache}).
 */
public class TribuoPlugin extends Plugin {

    /**
     * Tribuo logs every training run and epoch at INFO through java.util.logging, which reaches a
     * user's terminal as noise; heads report their progress through {@code Progress} instead, so
     * only Tribuo's warnings pass. Held in a field: java.util.logging keeps loggers weakly, and a
     * collected logger would forget its level.
     */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }
}
