package dev.sextant.host.config;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML mapping to a config record: keys in kebab case, defaults and ranges from {@link
 * Option}, and every mistake recorded as a {@link Problem} at its line and column instead of
 * stopping at the first. Values that name components are collected as {@link Reference}s for the
 * caller to check.
 *
 * <p>Hand-written because no binding library reports positions and reads our own annotations
 * while keeping the SPI free of library types.
 */
public final class RecordBinder {

    private final Path file;
    private final List<Problem> problems;
    private final List<Reference> references;

    public RecordBinder(Path file, List<Problem> problems, List<Reference> references) {
        this.file = file;
        this.problems = problems;
        this.references = references;
    }

    /**
     * Binds {@code node} to a new {@code type}, or returns {@code null} after recording problems.
     *
     * @param what names the thing being bound in messages, e.g. {@code component 'greedy' (type
     *     greedy)}
     * @param ignoredKeys keys the caller handles itself (e.g. {@code type})
     */
    public <R extends Record> R bind(Node node, Class<R> type, String what, Set<String> ignoredKeys) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, what + " must be a mapping of options (key: value)");
            return null;
        }
        int before = problems.size();
        Map<String, NodeTuple> given = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalarText(tuple.getKeyNode());
            if (key == null) {
                problem(tuple.getKeyNode(), what + ": option names must be plain words");
            } else if (!ignoredKeys.contains(key)) {
                if (given.put(key, tuple) != null) {
                    problem(tuple.getKeyNode(), what + ": option '" + key + "' is given twice");
                }
            }
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent component : components) {
            byKey.put(OptionNames.kebab(component.getName()), component);
        }
        for (Map.Entry<String, NodeTuple> entry : given.entrySet()) {
            if (!byKey.containsKey(entry.getKey())) {
                String hint = OptionNames.closest(entry.getKey(), byKey.keySet())
                        .map(s -> "did you mean '" + s + "'? ").orElse("");
                problem(entry.getValue().getKeyNode(), what + ": unknown option '" + entry.getKey() + "'; " + hint
                        + "known options: " + (byKey.isEmpty() ? "none" : String.join(", ", byKey.keySet())));
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String key = OptionNames.kebab(component.getName());
            Option option = component.getAnnotation(Option.class);
            NodeTuple tuple = given.get(key);
            if (tuple != null && !isNull(tuple.getValueNode())) {
                values[i] = convert(tuple.getValueNode(), component.getGenericType(), what, key, option);
                checkRange(tuple.getValueNode(), values[i], what, key, option);
            } else if (option != null && !Option.NO_DEFAULT.equals(option.defaultValue())) {
                values[i] = defaultValue(type, component, option.defaultValue());
            } else if ((option != null && option.required()) || component.getType().isPrimitive()) {
                problem(mapping, what + ": missing required option '" + key + "'"
                        + (option == null ? "" : " (" + option.description() + ")"));
            } else {
                values[i] = component.getType() == List.class ? List.of() : null;
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return construct(type, components, values, mapping, given, what);
    }

    private <R extends Record> R construct(Class<R> type, RecordComponent[] components, Object[] values, Node at,
            Map<String, NodeTuple> given, String what) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InvalidOptionException bad && given.containsKey(bad.key())) {
                // One malformed value: point at it rather than at the whole mapping.
                problem(given.get(bad.key()).getValueNode(), what + ": option '" + bad.key() + "' "
                        + bad.getMessage());
                return null;
            }
            // A record's compact constructor rejected a combination of values; its message is the
            // plugin author's explanation.
            problem(at, what + ": " + e.getCause().getMessage());
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct config record " + type.getName(), e);
        }
    }

    private Object defaultValue(Class<?> type, RecordComponent component, String text) {
        Node node = new Yaml().compose(new java.io.StringReader(text));
        if (node == null) {
            // An empty default (defaultValue = "") is an empty YAML document, not an empty string.
            Mark none = new Mark("default", 0, 0, 0, new int[0], 0);
            node = new ScalarNode(Tag.STR, "", none, none, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
        }
        List<Problem> local = new ArrayList<>();
        Object value = new RecordBinder(file, local, new ArrayList<>())
                .convert(node, component.getGenericType(), "default", component.getName(), null);
        if (!local.isEmpty()) {
            throw new IllegalStateException("bad default '" + text + "' for " + type.getName() + "."
                    + component.getName() + ": " + local.get(0).message());
        }
        return value;
    }

    private Object convert(Node node, Type type, String what, String key, Option option) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            List<Node> items;
            if (node instanceof SequenceNode sequence) {
                items = sequence.getValue();
            } else {
                problem(node, what + ": option '" + key + "' must be a list, e.g. [a, b]");
                return null;
            }
            List<Object> out = new ArrayList<>(items.size());
            for (Node item : items) {
                out.add(convert(item, element, what, key, option));
            }
            return out.contains(null) ? null : List.copyOf(out);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            // a free-form mapping (e.g. a JSON Schema written inline): plain maps, lists and scalars
            if (!(node instanceof MappingNode)) {
                problem(node, what + ": option '" + key + "' must be a mapping, e.g. {type: string}");
                return null;
            }
            return plain(node);
        }
        if (!(type instanceof Class<?> target)) {
            throw new IllegalStateException("unsupported option type " + type);
        }
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, what + ": option '" + key + "' must be a single " + OptionDoc.typeName(target)
                    + ", not a " + (node instanceof SequenceNode ? "list" : "mapping"));
            return null;
        }
        String text = scalar.getValue();
        try {
            Object value = parseScalar(text, target);
            if (option != null && option.reference() != ComponentKind.NONE && value instanceof String name) {
                Mark mark = node.getStartMark();
                references.add(new Reference(option.reference(), name, key, mark.getLine() + 1, mark.getColumn() + 1));
            }
            return value;
        } catch (IllegalArgumentException e) {
            problem(node, what + ": option '" + key + "' expects " + OptionDoc.typeName(target) + ", got '" + text
                    + "'");
            return null;
        }
    }

    /**
     * A YAML node as plain Java values: mappings as ordered maps with string keys, sequences as lists,
     * scalars by their resolved YAML tag (integers as Long, or BigInteger when larger, floats as Double,
     * booleans, null, strings).
     */
    static Object plain(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : mapping.getValue()) {
                Node keyNode = t.getKeyNode();
                String k = keyNode instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(plain(keyNode));
                out.put(k, plain(t.getValueNode()));
            }
            return out;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> out = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                out.add(plain(item));
            }
            return out;
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            return parseScalar(text, Boolean.class);
        }
        if (Tag.INT.equals(tag)) {
            java.math.BigInteger big = new java.math.BigInteger(text.trim().replace("_", ""));
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (Tag.FLOAT.equals(tag)) {
            return Double.valueOf(text.trim().replace("_", ""));
        }
        return text;
    }

    private static Object parseScalar(String text, Class<?> target) {
        if (target == String.class) {
            return text;
        }
        if (target == int.class || target == Integer.class) {
            return Integer.valueOf(text.trim().replace("_", ""));
        }
        if (target == long.class || target == Long.class) {
            return Long.valueOf(text.trim().replace("_", ""));
        }
        if (target == double.class || target == Double.class) {
            return Double.valueOf(text.trim());
        }
        if (target == float.class || target == Float.class) {
            return Float.valueOf(text.trim());
        }
        if (target == boolean.class || target == Boolean.class) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> Boolean.TRUE;
                case "false", "no", "off" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(text);
            };
        }
        if (target == Duration.class) {
            return DurationStyle.detectAndParse(text.trim());
        }
        if (target.isEnum()) {
            for (Object constant : target.getEnumConstants()) {
                if (OptionNames.enumName((Enum<?>) constant).equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(text);
        }
        throw new IllegalStateException("unsupported option type " + target.getName());
    }

    private void checkRange(Node node, Object value, String what, String key, Option option) {
        if (option == null || !(value instanceof Number number)) {
            return;
        }
        double v = number.doubleValue();
        if (v < option.min() || v > option.max()) {
            String range;
            if (option.max() == Double.POSITIVE_INFINITY) {
                range = "at least " + trim(option.min());
            } else if (option.min() == Double.NEGATIVE_INFINITY) {
                range = "at most " + trim(option.max());
            } else {
                range = "between " + trim(option.min()) + " and " + trim(option.max());
            }
            problem(node, what + ": option '" + key + "' must be " + range + ", got " + trim(v));
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static String scalarText(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** Records a problem at a node's start. */
    public void problem(Node node, String message) {
        Mark mark = node.getStartMark();
        problems.add(new Problem(file, mark.getLine() + 1, mark.getColumn() + 1, message));
    }
}
