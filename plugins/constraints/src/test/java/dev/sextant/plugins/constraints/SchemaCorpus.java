package dev.sextant.plugins.constraints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of varied JSON Schemas within what the compiler supports: nested objects with
 * required and optional properties, arrays (items, prefixItems, bounds), strings with lengths,
 * patterns, formats and enums, integers and numbers with bounds (exclusive and fractional too), booleans, nulls,
 * consts, anyOf, oneOf, allOf, nullable types and local references. Every schema bounds its strings
 * and arrays, so every document is finite and a random walk through the mask always ends.
 */
final class SchemaCorpus {

    static final List<String> PATTERNS = List.of("^[a-z]{2,6}$", "\\d{3}", "^(ab|cd)+$", "^[A-Z][a-z]*$", "x",
            "^[0-9a-f]{4}$");
    static final List<String> FORMATS = List.of("date", "time", "date-time", "email", "uuid", "ipv4", "uri",
            "hostname");
    static final List<String> WORDS = List.of("oslo", "paris", "lima", "red", "blue", "cat", "dog", "é", "東京",
            "a \"quoted\" word", "back\\slash", "tab\there");

    private final SplittableRandom random;

    SchemaCorpus(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The {@code n}-th schema of the corpus for this seed. */
    Map<String, Object> next() {
        Map<String, Object> schema = random.nextInt(3) == 0 ? object(0) : value(0);
        if (random.nextInt(5) == 0) {
            // a local reference to a definition
            Map<String, Object> wrapped = new LinkedHashMap<>();
            wrapped.put("$defs", Map.of("item", schema));
            wrapped.put("type", "object");
            wrapped.put("properties", Map.of("value", Map.of("$ref", "#/$defs/item")));
            wrapped.put("required", List.of("value"));
            return wrapped;
        }
        return schema;
    }

    private Map<String, Object> value(int depth) {
        int kind = random.nextInt(depth >= 2 ? 9 : 12);
        return switch (kind) {
            case 0, 1 -> string();
            case 2 -> integer();
            case 3 -> number();
            case 4 -> Map.of("type", "boolean");
            case 5 -> Map.of("enum", List.of(WORDS.get(random.nextInt(WORDS.size())), 3, true,
                    WORDS.get(random.nextInt(WORDS.size()))));
            case 6 -> Map.of("const", random.nextBoolean() ? WORDS.get(random.nextInt(WORDS.size())) : 42);
            case 7 -> Map.of("type", List.of("string", "null"), "maxLength", 1 + random.nextInt(6));
            case 8 -> Map.of("anyOf", List.of(integer(), string()));
            case 9 -> object(depth + 1);
            case 10 -> array(depth + 1);
            default -> random.nextBoolean()
                    ? Map.of("oneOf", List.of(Map.of("type", "integer", "minimum", 0, "maximum", 20),
                            Map.of("type", "integer", "minimum", 10, "maximum", 30)))
                    : Map.of("allOf", List.of(Map.of("type", "integer", "minimum", -50),
                            Map.of("maximum", 50, "exclusiveMinimum", -5)));
        };
    }

    private Map<String, Object> string() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "string");
        int choice = random.nextInt(4);
        if (choice == 0) {
            s.put("format", FORMATS.get(random.nextInt(FORMATS.size())));
        } else if (choice == 1) {
            s.put("pattern", PATTERNS.get(random.nextInt(PATTERNS.size())));
            s.put("maxLength", 8 + random.nextInt(8));
        } else {
            int min = random.nextInt(3);
            s.put("minLength", min);
            s.put("maxLength", min + 1 + random.nextInt(10));
        }
        return s;
    }

    private Map<String, Object> integer() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "integer");
        int lo = random.nextInt(2000) - 1000;
        s.put(random.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
        s.put(random.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 2 + random.nextInt(5000));
        return s;
    }

    private Map<String, Object> number() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "number");
        int lo = random.nextInt(200) - 100;
        if (random.nextInt(3) == 0) {
            // bounds that are not whole numbers, one of them exclusive
            s.put("exclusiveMinimum", lo + 0.25);
            s.put("maximum", lo + 2.75 + random.nextInt(300));
        } else {
            s.put("minimum", lo);
            s.put("maximum", lo + 1 + random.nextInt(300));
        }
        return s;
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = List.of("name", "age", "city", "tags", "when", "id", "score", "note").get(
                    random.nextInt(8)) + i;
            properties.put(name, depth >= 2 ? string() : value(depth + 1));
            if (random.nextBoolean()) {
                required.add(name);
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        s.put("required", required);
        if (random.nextBoolean()) {
            s.put("additionalProperties", false);
        }
        return s;
    }

    private Map<String, Object> array(int depth) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "array");
        if (random.nextInt(3) == 0) {
            s.put("prefixItems", List.of(integer(), string()));
            s.put("items", Map.of("type", "boolean"));
        } else {
            s.put("items", depth >= 2 ? string() : value(depth + 1));
        }
        int min = random.nextInt(2);
        s.put("minItems", min);
        s.put("maxItems", min + 1 + random.nextInt(3));
        return s;
    }
}
