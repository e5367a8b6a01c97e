package dev.sextant.host.config;

import dev.sextant.host.plugin.InstalledType;
import dev.sextant.host.plugin.PluginHost;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.LogitsProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Constraints that come with a request (the REST API's {@code constraint}), in the shape a generate
 * step's {@code constraint:} has in a pipeline file: {@code {"regex": ...}}, {@code {"json-schema": {...},
 * ...}} or a processor with {@code "type"}. Each is bound and created like a component of the file, but
 * may name no file and no other component. The last {@link #CACHED} distinct constraints are kept, so a
 * schema sent again reuses its compiled automaton and its cached token masks.
 */
public final class RequestConstraints {

    /**
     * How many distinct request constraints stay compiled (each keeps at most 32 MB of token masks, so
     * at most about half a gigabyte in all).
     */
    static final int CACHED = 16;

    private final PluginHost plugins;
    private final Map<String, LogitsProcessor> cache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LogitsProcessor> eldest) {
            return size() > CACHED;
        }
    };

    public RequestConstraints(PluginHost plugins) {
        this.plugins = plugins;
    }

    /** The processor a request's constraint stands for. */
    public LogitsProcessor processor(Map<String, Object> constraint) throws SextantException {
        Map<String, Object> body = component(constraint);
        String key = canonical(body);
        synchronized (cache) {
            LogitsProcessor cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        LogitsProcessor created = create(body);
        synchronized (cache) {
            cache.put(key, created);
        }
        return created;
    }

    /** The constraint as a component body with its type. */
    private static Map<String, Object> component(Map<String, Object> constraint) throws InputException {
        if (constraint == null || constraint.isEmpty()) {
            throw new InputException("constraint is empty: give {\"regex\": ...}, {\"json-schema\": {...}} or"
                    + " {\"grammar\": \"...\"}");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (constraint.containsKey("type")) {
            body.putAll(constraint);
            return body;
        }
        Map.Entry<String, Object> first = constraint.entrySet().iterator().next();
        switch (first.getKey()) {
            case "regex" -> {
                body.put("type", "regex");
                body.put("pattern", first.getValue());
            }
            case "json-schema" -> {
                if (!(first.getValue() instanceof Map)) {
                    throw new InputException("constraint: json-schema must be the schema itself (an object); a request"
                            + " cannot name a file");
                }
                body.put("type", "json-schema");
                body.put("schema", first.getValue());
            }
            case "grammar" -> {
                if (!(first.getValue() instanceof String)) {
                    throw new InputException("constraint: grammar must be the grammar's text (a string); a request"
                            + " cannot name a file");
                }
                body.put("type", "grammar");
                body.put("grammar", first.getValue());
            }
            default -> throw new InputException("constraint: unknown kind '" + first.getKey() + "'; give regex,"
                    + " json-schema or grammar, or a processor with type");
        }
        constraint.forEach((k, v) -> {
            if (!k.equals(first.getKey())) {
                body.put(k, v);
            }
        });
        return body;
    }

    private LogitsProcessor create(Map<String, Object> body) throws SextantException {
        String typeName = String.valueOf(body.get("type"));
        InstalledType type = plugins.type(typeName).orElseThrow(() -> new InputException("constraint: unknown type '"
                + typeName + "'"));
        if (type.kind() != ComponentKind.PROCESSOR) {
            throw new InputException("constraint: type '" + typeName + "' is not a logits processor");
        }
        Node node = new Yaml().represent(body);
        List<Problem> problems = new ArrayList<>();
        List<Reference> references = new ArrayList<>();
        Record config = new RecordBinder(Path.of("request"), problems, references).bind(node,
                type.factory().configType(), "constraint (type " + typeName + ")", Set.of("type"));
        if (!problems.isEmpty()) {
            throw new InputException(problems.get(0).message());
        }
        if (!references.isEmpty()) {
            throw new InputException("constraint: a request's constraint cannot name other components ('"
                    + references.get(0).name() + "')");
        }
        @SuppressWarnings("unchecked")
        ComponentFactory<Record, ?> factory = (ComponentFactory<Record, ?>) type.factory();
        try {
            return (LogitsProcessor) factory.create(config, new RequestContext());
        } catch (ConfigException e) {
            throw new InputException("constraint" + (e.key() == null ? "" : " (" + e.key() + ")") + ": "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InputException("constraint: " + e.getMessage());
        }
    }

    /** A stable key: the same constraint in any key order. */
    private static String canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted.toString();
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(v -> items.add(canonical(v)));
            return items.toString();
        }
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }

    /** What a request's constraint may see: nothing of the server's files or components. */
    private static final class RequestContext implements ComponentContext {
        @Override
        public String componentName() {
            return "request constraint";
        }

        @Override
        public Path resolvePath(String path) {
            throw new IllegalArgumentException("a request's constraint cannot read files (" + path + ")");
        }

        @Override
        public <T> T component(String name, Class<T> type) throws ConfigException {
            throw new ConfigException("a request's constraint cannot use other components ('" + name + "')");
        }

        @Override
        public String setting(String key, String fallback) {
            return fallback;
        }
    }
}
