package dev.sextant.host;

import java.nio.file.Path;

/**
 * Where the host finds its plugins, default pipelines and evaluation sets. The launcher sets
 * {@code sextant.home} to the project folder; each path can be set on its own.
 */
public final class HostPaths {

    /** System property: the Sextant folder (the launcher's project root). */
    public static final String HOME = "sextant.home";
    /** System property: the plugins folder; wins over {@code sextant.home}. */
    public static final String PLUGINS_DIR = "sextant.plugins-dir";
    /** System property: the default pipeline file; wins over {@code sextant.home}. */
    public static final String PIPELINES = "sextant.pipelines";

    private HostPaths() {
    }

    /** The Sextant folder: {@code sextant.home}, or the working directory. */
    public static Path home() {
        return Path.of(System.getProperty(HOME, ".")).toAbsolutePath().normalize();
    }

    /** {@code sextant.plugins-dir}, or {@code <home>/target/plugins} where the build stages them. */
    public static Path pluginsDir() {
        String explicit = System.getProperty(PLUGINS_DIR);
        return explicit != null ? Path.of(explicit) : home().resolve("target/plugins");
    }

    /** {@code sextant.pipelines}, or {@code <home>/examples/pipelines/default.yaml}. */
    public static Path defaultPipelines() {
        String explicit = System.getProperty(PIPELINES);
        return explicit != null ? Path.of(explicit) : home().resolve("examples/pipelines/default.yaml");
    }

    /** {@code <home>/models/eval}, where the evaluation sets are. */
    public static Path evalDir() {
        return home().resolve("models/eval");
    }
}
