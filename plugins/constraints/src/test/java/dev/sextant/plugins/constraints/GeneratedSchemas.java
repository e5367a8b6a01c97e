package dev.sextant.plugins.constraints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seeded part of the schema corpus ({@code gen-*.json}): JSON Schemas built together with one
 * document that validates against each (kept as the schema's {@code examples}), so every schema has a
 * valid document by construction. Each schema has a focus that cycles through the features the
 * corpus must cover (enums and consts, patterns, formats, numeric bounds, string lengths, tuples,
 * combinators, nullable types, patternProperties, closed objects, draft 7), plus a few properties drawn
 * from all of them. Strings, arrays and nesting are bounded, so every document is finite.
 *
 * <p>Maps are insertion-ordered throughout ({@code Map.of} iterates in an order that changes between
 * runs), so the same seed writes the same files.
 */
final class GeneratedSchemas {

    /** A schema and a document it accepts. */
    record Piece(Map<String, Object> schema, Object example) {
    }

    /** A generated schema file: its name (without {@code .json}) and its content. */
    record Generated(String name, Map<String, Object> schema) {
    }

    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";

    static final List<String> FOCUSES = List.of("enum", "pattern", "format", "numbers", "lengths", "tuple",
            "combinators", "nullable", "pattern-properties", "closed");

    /** Patterns with a text each matches; some anchored, some searched for (JSON Schema's reading). */
    private static final List<String[]> PATTERNS = List.of(
            new String[] {"^[a-z]{2,6}$", "fjord"},
            new String[] {"^\\d{3}-\\d{4}$", "555-0199"},
            new String[] {"^(ab|cd)+$", "abcdab"},
            new String[] {"^[A-Z][a-z]*$", "Bergen"},
            new String[] {"^[0-9a-f]{4}$", "0a9f"},
            new String[] {"^[A-Z]{3}$", "NOK"},
            new String[] {"^v\\d+\\.\\d+\\.\\d+$", "v1.12.3"},
            new String[] {"^#[0-9a-fA-F]{6}$", "#1a2B3c"},
            new String[] {"^[a-z0-9]+(-[a-z0-9]+)*$", "big-cat-7"},
            new String[] {"x", "box"},
            new String[] {"\\d", "room 12"},
            new String[] {"^\\+?[0-9 ]{7,15}$", "+47 22 33 44"},
            new String[] {"^[A-Z]{2}\\d{2}[A-Z0-9]{4,20}$", "NO9386011117947"},
            new String[] {"^\\S+$", "no-spaces_here"},
            new String[] {"^(red|green|blue)(/(red|green|blue))*$", "red/blue"},
            new String[] {"^[a-zà-ÿ ]{1,20}$", "crème brûlée"});
    /** Formats the compiler supports, with a value of each. */
    private static final List<String[]> FORMATS = List.of(
            new String[] {"date-time", "2024-05-17T08:30:00Z"},
            new String[] {"date", "2024-02-29"},
            new String[] {"time", "23:59:01+02:00"},
            new String[] {"email", "ada@example.com"},
            new String[] {"uuid", "3f1c2b9e-8d4a-4e2f-9b1a-0c7d5e6f8a9b"},
            new String[] {"uri", "https://example.org/a/b?c=1"},
            new String[] {"ipv4", "192.168.10.254"});
    private static final List<String> WORDS = List.of("oslo", "paris", "lima", "red", "blue", "cat", "dog", "é",
            "東京", "a \"quoted\" word", "back\\slash", "tab\there", "naïve", "emoji 🙂", "", "x");
    private static final List<String> NAMES = List.of("name", "age", "city", "tags", "when", "id", "score", "note",
            "status", "count", "label", "email", "price", "owner", "kind", "level");

    private final SplittableRandom random;

    GeneratedSchemas(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The first {@code count} generated schemas of this seed, named {@code gen-NNN-<focus>}. */
    static List<Generated> generate(long seed, int count) {
        GeneratedSchemas generator = new GeneratedSchemas(seed);
        List<Generated> files = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            files.add(generator.next(n));
        }
        return files;
    }

    /** One document schema: every seventh is draft 7, the rest draft 2020-12. */
    Generated next(int n) {
        String focus = FOCUSES.get(n % FOCUSES.size());
        boolean draft7 = n % 7 == 3;
        Document doc = new Document(draft7);
        Piece root;
        if (random.nextInt(8) == 0 && !focus.equals("pattern-properties") && !focus.equals("closed")) {
            root = doc.focused(focus, 0);   // a document that is a single value of the focus
        } else {
            Map<String, Piece> properties = new LinkedHashMap<>();
            properties.put(doc.name(), doc.focused(focus, 1));
            int more = random.nextInt(4);
            for (int i = 0; i < more; i++) {
                properties.put(doc.name(), doc.any(1));
            }
            if (random.nextInt(3) == 0) {
                properties.put(doc.name(), doc.focused(focus, 1));
            }
            root = doc.object(properties, focus.equals("closed") || random.nextInt(4) == 0 ? Boolean.FALSE : null);
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("$schema", draft7 ? DRAFT_07 : DRAFT_2020_12);
        file.put("title", String.format(Locale.ROOT, "generated %03d: %s%s", n, focus, draft7 ? " (draft 7)" : ""));
        file.putAll(root.schema());
        if (!doc.definitions.isEmpty()) {
            file.put(draft7 ? "definitions" : "$defs", doc.definitions);
        }
        file.put("examples", java.util.Collections.singletonList(root.example()));
        return new Generated(String.format(Locale.ROOT, "gen-%03d-%s", n, focus + (draft7 ? "-draft7" : "")), file);
    }

    /** One schema under construction: its definitions and the property names used so far. */
    private final class Document {

        final boolean draft7;
        final Map<String, Object> definitions = new LinkedHashMap<>();
        int names;

        Document(boolean draft7) {
            this.draft7 = draft7;
        }

        String name() {
            return NAMES.get(random.nextInt(NAMES.size())) + "_" + names++;
        }

        /** A value showing the focus feature. */
        Piece focused(String focus, int depth) {
            return switch (focus) {
                case "enum" -> random.nextBoolean() ? enumeration() : constant();
                case "pattern" -> pattern();
                case "format" -> format();
                case "numbers" -> random.nextBoolean() ? integer() : number();
                case "lengths" -> lengths();
                case "tuple" -> draft7 ? tupleDraft7() : tuple();
                case "combinators" -> combinator();
                case "nullable" -> nullable();
                case "pattern-properties" -> patternProperties();
                case "closed" -> depth >= 2 ? lengths() : object(members(depth + 1), Boolean.FALSE);
                default -> throw new IllegalArgumentException(focus);
            };
        }

        /** Any value: a scalar, or an object or array while the depth allows. */
        Piece any(int depth) {
            int kind = random.nextInt(depth >= 3 ? 10 : 14);
            Piece piece = switch (kind) {
                case 0 -> lengths();
                case 1 -> pattern();
                case 2 -> format();
                case 3 -> integer();
                case 4 -> number();
                case 5 -> piece(map("type", "boolean"), random.nextBoolean());
                case 6 -> enumeration();
                case 7 -> constant();
                case 8 -> nullable();
                case 9 -> combinator();
                case 10 -> object(members(depth + 1), random.nextInt(3) == 0 ? Boolean.FALSE : null);
                case 11 -> array(depth + 1);
                case 12 -> draft7 ? tupleDraft7() : tuple();
                default -> patternProperties();
            };
            return random.nextInt(6) == 0 ? reference(piece) : piece;
        }

        private Map<String, Piece> members(int depth) {
            Map<String, Piece> members = new LinkedHashMap<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                members.put(name(), any(depth));
            }
            return members;
        }

        /** The piece moved into the definitions and referred to. */
        Piece reference(Piece piece) {
            String name = "def" + definitions.size();
            definitions.put(name, piece.schema());
            return piece(map("$ref", (draft7 ? "#/definitions/" : "#/$defs/") + name), piece.example());
        }

        Piece lengths() {
            int min = random.nextInt(4);
            int max = min + 1 + random.nextInt(30);
            String example = word(min + random.nextInt(Math.min(max, min + 8) - min + 1));
            Map<String, Object> s = map("type", "string");
            if (min > 0 || random.nextBoolean()) {
                s.put("minLength", min);
            }
            s.put("maxLength", max);
            return piece(s, example);
        }

        Piece pattern() {
            String[] p = PATTERNS.get(random.nextInt(PATTERNS.size()));
            Map<String, Object> s = map("type", "string", "pattern", p[0]);
            if (random.nextBoolean()) {
                s.put("maxLength", p[1].length() + random.nextInt(10));
            }
            return piece(s, p[1]);
        }

        Piece format() {
            String[] f = FORMATS.get(random.nextInt(FORMATS.size()));
            return piece(map("type", "string", "format", f[0]), f[1]);
        }

        Piece enumeration() {
            List<Object> values = new ArrayList<>();
            int n = 2 + random.nextInt(4);
            while (values.size() < n) {
                Object v = switch (random.nextInt(5)) {
                    case 0 -> random.nextInt(200) - 50;
                    case 1 -> random.nextBoolean();
                    case 2 -> random.nextInt(4) == 0 ? null : WORDS.get(random.nextInt(WORDS.size()));
                    default -> WORDS.get(random.nextInt(WORDS.size()));
                };
                if (!values.contains(v)) {
                    values.add(v);
                }
            }
            return piece(map("enum", values), values.get(random.nextInt(values.size())));
        }

        Piece constant() {
            Object v = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(1000);
                case 1 -> map("kind", WORDS.get(random.nextInt(WORDS.size())), "version", 1 + random.nextInt(3));
                case 2 -> List.of(1, "two", false);
                default -> WORDS.get(random.nextInt(WORDS.size()));
            };
            return piece(map("const", v), v);
        }

        Piece integer() {
            int lo = random.nextInt(2000) - 1000;
            int hi = lo + 2 + random.nextInt(5000);
            Map<String, Object> s = map("type", "integer");
            int bounds = random.nextInt(5);
            if (bounds == 0) {
                s.put("minimum", lo);           // one side only
                return piece(s, lo + random.nextInt(100));
            }
            if (bounds == 1) {
                s.put("exclusiveMaximum", hi);
                return piece(s, hi - 1 - random.nextInt(100));
            }
            boolean exclusiveLow = random.nextBoolean();
            boolean exclusiveHigh = random.nextBoolean();
            s.put(exclusiveLow ? "exclusiveMinimum" : "minimum", lo);
            s.put(exclusiveHigh ? "exclusiveMaximum" : "maximum", hi);
            return piece(s, lo + 1 + random.nextInt(hi - lo - 1));
        }

        Piece number() {
            int lo = random.nextInt(200) - 100;
            int span = 3 + random.nextInt(300);
            Map<String, Object> s = map("type", "number");
            double low = lo + List.of(0.0, 0.25, 0.5, 0.125).get(random.nextInt(4));
            double high = lo + span + List.of(0.0, 0.75, 0.5).get(random.nextInt(3));
            s.put(random.nextBoolean() ? "exclusiveMinimum" : "minimum", low);
            s.put(random.nextBoolean() ? "exclusiveMaximum" : "maximum", high);
            // a value strictly inside both bounds, a fraction half the time
            double example = lo + 1 + random.nextInt(span - 1) + (random.nextBoolean() ? 0.5 : 0);
            return piece(s, example > lo + span - 1 ? lo + 1.0 : example);
        }

        Piece nullable() {
            Piece base = switch (random.nextInt(4)) {
                case 0 -> lengths();
                case 1 -> integer();
                case 2 -> format();
                default -> piece(map("type", "boolean"), true);
            };
            Map<String, Object> s = new LinkedHashMap<>(base.schema());
            s.put("type", List.of(s.get("type"), "null"));
            return piece(s, random.nextBoolean() ? null : base.example());
        }

        Piece combinator() {
            switch (random.nextInt(5)) {
                case 0, 1: {
                    List<Piece> options = List.of(scalar(), scalar(), scalar()).subList(0, 2 + random.nextInt(2));
                    return choice("anyOf", options);
                }
                case 2: {
                    // options of different types, so a document matches exactly one
                    List<Piece> options = new ArrayList<>(List.of(lengths(), integer(),
                            piece(map("type", "null"), null)));
                    if (random.nextBoolean()) {
                        options.set(2, piece(map("type", "boolean"), false));
                    }
                    return choice("oneOf", options);
                }
                case 3: {
                    int lo = random.nextInt(100);
                    int mid = lo + 1 + random.nextInt(50);
                    Piece a = piece(map("type", "integer", "minimum", lo, "maximum", mid), lo);
                    Piece b = piece(map("type", "integer", "minimum", mid + 1, "maximum", mid + 1 + random.nextInt(50)),
                            mid + 1);
                    return choice("oneOf", List.of(a, b));
                }
                default: {
                    if (random.nextBoolean()) {
                        int lo = random.nextInt(100) - 50;
                        int hi = lo + 5 + random.nextInt(100);
                        return piece(map("allOf", List.of(map("type", "integer", "minimum", lo),
                                map("maximum", hi, "exclusiveMinimum", lo + 1))), lo + 2);
                    }
                    Piece p = pattern();
                    int max = ((String) p.example()).length() + random.nextInt(5);
                    return piece(map("allOf", List.of(p.schema(), map("minLength", 1, "maxLength", max))), p.example());
                }
            }
        }

        private Piece choice(String keyword, List<Piece> options) {
            List<Object> schemas = new ArrayList<>();
            options.forEach(o -> schemas.add(o.schema()));
            return piece(map(keyword, schemas), options.get(random.nextInt(options.size())).example());
        }

        private Piece scalar() {
            return switch (random.nextInt(6)) {
                case 0 -> lengths();
                case 1 -> integer();
                case 2 -> format();
                case 3 -> enumeration();
                case 4 -> pattern();
                default -> piece(map("type", "null"), null);
            };
        }

        Piece object(Map<String, Piece> properties, Object additional) {
            Map<String, Object> schemas = new LinkedHashMap<>();
            Map<String, Object> example = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (Map.Entry<String, Piece> p : properties.entrySet()) {
                schemas.put(p.getKey(), p.getValue().schema());
                boolean isRequired = random.nextInt(3) > 0;
                if (isRequired) {
                    required.add(p.getKey());
                }
                if (isRequired || random.nextBoolean()) {
                    example.put(p.getKey(), p.getValue().example());
                }
            }
            Map<String, Object> s = map("type", "object", "properties", schemas);
            if (!required.isEmpty()) {
                s.put("required", required);
            }
            if (additional != null) {
                s.put("additionalProperties", additional);
            }
            return piece(s, example);
        }

        Piece array(int depth) {
            Piece item = depth >= 3 ? lengths() : any(depth);
            int min = random.nextInt(3);
            int max = min + 1 + random.nextInt(4);
            List<Object> example = new ArrayList<>();
            int n = min + random.nextInt(max - min + 1);
            for (int i = 0; i < n; i++) {
                example.add(item.example());
            }
            Map<String, Object> s = map("type", "array", "items", item.schema());
            if (min > 0) {
                s.put("minItems", min);
            }
            s.put("maxItems", max);
            return piece(s, example);
        }

        /** 2020-12 tuple: prefixItems, then items (a schema, or false for none). */
        Piece tuple() {
            List<Piece> prefix = List.of(scalar(), scalar(), scalar()).subList(0, 1 + random.nextInt(3));
            List<Object> schemas = new ArrayList<>();
            List<Object> example = new ArrayList<>();
            prefix.forEach(p -> {
                schemas.add(p.schema());
                example.add(p.example());
            });
            Map<String, Object> s = map("type", "array", "prefixItems", schemas);
            if (random.nextBoolean()) {
                s.put("items", false);
            } else {
                Piece rest = scalar();
                s.put("items", rest.schema());
                s.put("maxItems", prefix.size() + 1 + random.nextInt(3));
                example.add(rest.example());
            }
            s.put("minItems", prefix.size());
            return piece(s, example);
        }

        /** Draft 7 tuple: items as an array, additionalItems false or a schema. */
        Piece tupleDraft7() {
            List<Piece> prefix = List.of(scalar(), scalar()).subList(0, 1 + random.nextInt(2));
            List<Object> schemas = new ArrayList<>();
            List<Object> example = new ArrayList<>();
            prefix.forEach(p -> {
                schemas.add(p.schema());
                example.add(p.example());
            });
            Map<String, Object> s = map("type", "array", "items", schemas);
            if (random.nextBoolean()) {
                s.put("additionalItems", false);
            } else {
                Piece rest = lengths();
                s.put("additionalItems", rest.schema());
                s.put("maxItems", prefix.size() + 2);
                example.add(rest.example());
            }
            s.put("minItems", prefix.size());
            return piece(s, example);
        }

        /**
         * An object whose listed properties fall under patternProperties too: names starting with
         * {@code x_} are strings (at most 6 characters by the pattern, 12 by the property), {@code n_}
         * integers (at least 0 by the pattern); other names pass untouched.
         */
        Piece patternProperties() {
            Map<String, Object> schemas = new LinkedHashMap<>();
            Map<String, Object> example = new LinkedHashMap<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(3);
                String name = List.of("x_", "n_", "plain_").get(kind) + NAMES.get(random.nextInt(NAMES.size())) + i;
                if (kind == 0) {
                    schemas.put(name, map("type", "string", "maxLength", 12));
                    example.put(name, word(random.nextInt(7)));
                } else if (kind == 1) {
                    schemas.put(name, map("type", "integer", "minimum", -100, "maximum", 100));
                    example.put(name, random.nextInt(101));
                } else {
                    Piece p = scalar();
                    schemas.put(name, p.schema());
                    example.put(name, p.example());
                }
            }
            Map<String, Object> s = map("type", "object", "properties", schemas, "required",
                    new ArrayList<>(schemas.keySet()), "patternProperties", map("^x_", map("maxLength", 6), "^n_",
                            map("minimum", 0)));
            if (random.nextBoolean()) {
                s.put("additionalProperties", false);
            }
            return piece(s, example);
        }

        private String word(int length) {
            StringBuilder sb = new StringBuilder();
            String letters = "abcdefghijklmnopqrstuvwxyzæøå ";
            for (int i = 0; i < length; i++) {
                sb.append(letters.charAt(random.nextInt(i == 0 ? letters.length() - 1 : letters.length())));
            }
            return sb.toString();
        }
    }

    private static Piece piece(Map<String, Object> schema, Object example) {
        return new Piece(schema, example);
    }

    /** An insertion-ordered map of alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
