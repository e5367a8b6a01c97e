package dev.sextant.bench;

import dev.sextant.host.config.Problem;
import dev.sextant.host.config.RecordBinder;
import dev.sextant.host.config.Reference;
import dev.sextant.host.plugin.InstalledType;
import dev.sextant.host.plugin.PluginHost;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.decode.LogitsProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Creates {@code json-schema} components from schema files as a pipeline file's
 * {@code {type: json-schema, schema-file: ...}} would: the options bound by the host's binder to the
 * installed factory's config record (so options the plugin adds get their defaults), then the
 * factory called through the plugin registry. One component per file, without a pipeline file around
 * it, so the creation of each can be timed.
 */
final class SchemaComponents {

    static final String TYPE = "json-schema";

    private final ComponentFactory<Record, ?> factory;
    private final Path folder;

    @SuppressWarnings("unchecked")
    SchemaComponents(PluginHost plugins, Path folder) {
        InstalledType type = plugins.type(TYPE).orElseThrow(() -> new IllegalStateException("no '" + TYPE
                + "' component type: is the constraints plugin in the plugins folder?"));
        this.factory = (ComponentFactory<Record, ?>) type.factory();
        this.folder = folder;
    }

    /** The component of one schema file; a {@link ConfigException} names what the plugin refused. */
    LogitsProcessor create(String file, String whitespace) throws Exception {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("schema-file", file);
        options.put("whitespace", whitespace);
        List<Problem> problems = new ArrayList<>();
        Record config = new RecordBinder(folder.resolve(file), problems, new ArrayList<Reference>()).bind(
                new Yaml().represent(options), factory.configType(), "component (type " + TYPE + ")", Set.of());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.get(0).message());
        }
        return (LogitsProcessor) factory.create(config, new CorpusContext(folder, file));
    }

    /** What the factory sees: paths read from the corpus folder, no other components, no settings. */
    private record CorpusContext(Path folder, String file) implements ComponentContext {
        @Override
        public String componentName() {
            return file;
        }

        @Override
        public Path resolvePath(String path) {
            return folder.resolve(path);
        }

        @Override
        public <T> T component(String name, Class<T> type) throws ConfigException {
            throw new ConfigException("a corpus schema uses no other component ('" + name + "')");
        }

        @Override
        public String setting(String key, String fallback) {
            return fallback;
        }
    }
}
