package dev.sextant.spi.testing;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A component context for plugin tests, standing in for the host: relative paths resolve against
 * a folder, other components are those added with {@link #with}, settings those added with
 * {@link #withSetting}.
 */
public final class TestContext implements ComponentContext {

    private final String name;
    private final Path base;
    private final Map<String, Object> components = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();

    /**
     * @param name the component's name
     * @param base the folder relative paths are read from (the pipeline file's folder)
     */
    public TestContext(String name, Path base) {
        this.name = name;
        this.base = base;
    }

    /** Makes another component reachable by name. */
    public TestContext with(String component, Object value) {
        components.put(component, value);
        return this;
    }

    /** Sets a host setting. */
    public TestContext withSetting(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The same components and settings under another component name. */
    public TestContext named(String other) {
        TestContext copy = new TestContext(other, base);
        copy.components.putAll(components);
        copy.settings.putAll(settings);
        return copy;
    }

    @Override
    public String componentName() {
        return name;
    }

    @Override
    public Path resolvePath(String path) {
        return base.resolve(path);
    }

    /** @throws ConfigException naming the component if it was not added or has another type */
    @Override
    public <T> T component(String component, Class<T> type) throws ConfigException {
        Object value = components.get(component);
        if (value == null) {
            throw new ConfigException("no component named '" + component + "'");
        }
        if (!type.isInstance(value)) {
            throw new ConfigException("component '" + component + "' is not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    @Override
    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }
}
