package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A component context for tests: paths from a folder, named components, and host settings. */
final class TestContext implements ComponentContext {

    private final String name;
    private final Path base;
    private final Map<String, Object> components = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();

    TestContext(String name, Path base, Path cacheDir) {
        this.name = name;
        this.base = base;
        settings.put(TribuoHeadFactory.CACHE_DIR_SETTING, cacheDir.toString());
    }

    TestContext with(String component, Object value) {
        components.put(component, value);
        return this;
    }

    /** The same components and settings under another component name. */
    TestContext named(String other) {
        TestContext copy = new TestContext(other, base, Path.of(settings.get(TribuoHeadFactory.CACHE_DIR_SETTING)));
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

    @Override
    public <T> T component(String component, Class<T> type) throws ConfigException {
        Object value = components.get(component);
        if (value == null) {
            throw new ConfigException("encoder", "no component named '" + component + "'");
        }
        if (!type.isInstance(value)) {
            throw new ConfigException("encoder", "component '" + component + "' is not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    @Override
    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }
}
