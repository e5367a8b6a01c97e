package dev.sextant.spi;

import java.nio.file.Path;

/**
 * What the host gives a factory while it creates a component.
 */
public interface ComponentContext {

    /** The component's name in the pipeline file. */
    String componentName();

    /**
     * Resolves a path written in the pipeline file: absolute paths stay, relative ones are taken
     * from the pipeline file's folder.
     */
    Path resolvePath(String path);

    /**
     * Another component, already created, by its name in the pipeline file.
     *
     * @param name the referenced component's name
     * @param type the interface it must implement (e.g. {@code LanguageModel.class})
     * @throws ConfigException if there is no such component or it has another type
     */
    <T> T component(String name, Class<T> type) throws ConfigException;

    /**
     * A host setting by key (e.g. {@code onnx.intra-op-threads}), or {@code fallback} when unset.
     * Plugins document the keys they read.
     */
    String setting(String key, String fallback);
}
