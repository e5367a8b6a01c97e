package dev.sextant.host.config;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documentation of one option, read from a config record's {@link Option} annotation.
 *
 * @param name YAML key
 * @param type a readable type name ({@code integer}, {@code list of string}, ...)
 * @param description the option's sentence
 * @param defaultValue the default as written in YAML, or {@code null}
 * @param required whether it must be given
 * @param unit the unit, or empty
 * @param reference the kind of component it names, or {@code NONE}
 */
public record OptionDoc(
        String name, String type, String description, String defaultValue, boolean required, String unit,
        ComponentKind reference) {

    /** The documented options of a config record, in declaration order. */
    public static List<OptionDoc> of(Class<? extends Record> configType) {
        List<OptionDoc> docs = new ArrayList<>();
        for (RecordComponent component : configType.getRecordComponents()) {
            Option option = component.getAnnotation(Option.class);
            String description = option == null ? "" : option.description();
            String defaultValue = option == null || Option.NO_DEFAULT.equals(option.defaultValue())
                    ? null : option.defaultValue();
            boolean required = option != null && option.required()
                    || (defaultValue == null && component.getType().isPrimitive());
            docs.add(new OptionDoc(OptionNames.kebab(component.getName()), typeName(component.getGenericType()),
                    description, defaultValue, required, option == null ? "" : option.unit(),
                    option == null ? ComponentKind.NONE : option.reference()));
        }
        return docs;
    }

    static String typeName(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "list of " + typeName(p.getActualTypeArguments()[0]);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            return "mapping";
        }
        if (type instanceof Class<?> c) {
            if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
                return "integer";
            }
            if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
                return "number";
            }
            if (c == boolean.class || c == Boolean.class) {
                return "boolean";
            }
            if (c == String.class) {
                return "string";
            }
            if (c == java.time.Duration.class) {
                return "duration";
            }
            if (c.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object constant : c.getEnumConstants()) {
                    names.add(OptionNames.enumName((Enum<?>) constant));
                }
                return "one of " + String.join(", ", names);
            }
            return c.getSimpleName();
        }
        return type.getTypeName();
    }
}
