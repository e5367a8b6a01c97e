package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.StatePair;
import dk.brics.automaton.Transition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a JSON Schema (drafts 2020-12 and 7, as parsed JSON: maps, lists, strings, numbers,
 * booleans) into the automaton of the JSON texts this engine generates for it. Every text it accepts
 * validates against the schema; it is a subset of the valid texts where the schema allows more than
 * one writing: objects list their properties in the schema's order with no others (whatever
 * additionalProperties and patternProperties allow; a listed property that a patternProperties pattern
 * matches satisfies that schema too), strings escape only what JSON requires, numbers are plain decimals (at
 * most 15 digits where the schema sets no bound, fractions of 1 to 6 digits, no exponent), and
 * whitespace follows the chosen style. A keyword it cannot honour is an error naming it and its JSON
 * pointer, never ignored. A recursive {@code $ref}, and a place that allows any value (a {@code true} or
 * keyword-less schema, {@code items} left out), become rules of a {@link Grammar}; combining such a
 * place with allOf, oneOf or patternProperties is refused, as the automata cannot be intersected there.
 */
final class JsonSchemaCompiler {

    /** Where whitespace goes: {@code ", "} and {@code ": "} (as Python's json.dumps), or none. */
    enum Whitespace { PYTHON, COMPACT }

    /** Keywords that only annotate (no effect on valid texts). */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title", "description",
            "default", "examples", "$defs", "definitions", "deprecated", "readOnly", "writeOnly", "$anchor",
            "contentMediaType", "contentEncoding");
    private static final Set<String> KNOWN = Set.of("type", "properties", "required", "additionalProperties",
            "items", "prefixItems", "minItems", "maxItems", "enum", "const", "anyOf", "oneOf", "allOf", "$ref",
            "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "nullable", "patternProperties", "minProperties", "maxProperties", "propertyNames",
            "uniqueItems", "additionalItems", "multipleOf");
    /** Unbounded integers are written with at most 15 digits (a double holds them exactly). */
    static final long MAX_PLAIN = 999_999_999_999_999L;
    /** Fractions are written with 1 to 6 digits, no exponent. */
    static final int FRACTION_DIGITS = 6;

    private final Map<String, Object> root;
    private final Whitespace whitespace;
    private final Set<String> resolving = new HashSet<>();
    /** The grammar's rules: one per recursive reference, and one for any JSON value. */
    private final List<Automaton> rules = new ArrayList<>();
    private final List<String> ruleNames = new ArrayList<>();
    private final Map<String, Integer> refRules = new java.util.HashMap<>();
    private int anyRule = -1;
    /** The recursive oneOfs met, checked once every rule is known. */
    private final List<PendingOneOf> pendingOneOfs = new ArrayList<>();
    /**
     * Automata this compiler minimized (by identity): a schema's result that is one of them is not
     * minimized again. An automaton linked into a larger one ({@link #link}) is used up there and never
     * returned again, so no automaton in the set changes after it is marked and then looked up.
     */
    private final Set<Automaton> minimal = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private JsonSchemaCompiler(Map<String, Object> root, Whitespace whitespace) {
        this.root = root;
        this.whitespace = whitespace;
    }

    /** The grammar of the JSON texts generated for {@code schema}. */
    static Grammar compileGrammar(Map<String, Object> schema, Whitespace whitespace) throws SchemaException {
        JsonSchemaCompiler c = new JsonSchemaCompiler(schema, whitespace);
        Automaton top = c.schema(schema, ""); // minimized there, as every rule is
        c.checkOneOfs();
        return new Grammar(top, c.rules, c.ruleNames);
    }

    /** The automaton of a schema without recursion or any-value places. */
    static Automaton compile(Map<String, Object> schema, Whitespace whitespace) throws SchemaException {
        Grammar g = compileGrammar(schema, whitespace);
        if (!g.isRegular()) {
            throw new IllegalArgumentException("the schema needs a grammar (recursion or any-value places)");
        }
        return g.top();
    }

    /** {@code a} and {@code b} both; refused where either holds a rule (a recursive or any-value place). */
    private static Automaton intersect(Automaton a, Automaton b, String pointer, String what) throws SchemaException {
        if (Grammar.hasCalls(a) || Grammar.hasCalls(b)) {
            throw new SchemaException(pointer, what + " over a recursive reference or a place that allows any value"
                    + " is not supported; give that place a type");
        }
        return a.intersection(b);
    }

    /** A recursive oneOf whose options must be shown disjoint once every rule is known. */
    private record PendingOneOf(String pointer, List<Automaton> options) {
    }

    /**
     * Refuses every recursive oneOf whose options are not shown disjoint ({@link #disjoint}): oneOf is
     * then anyOf, exactly.
     */
    private void checkOneOfs() throws SchemaException {
        for (PendingOneOf pending : pendingOneOfs) {
            if (!disjoint(pending.options(), rules)) {
                throw new SchemaException(pending.pointer(), "oneOf over a recursive reference or a place that"
                        + " allows any value is supported only where the options differ before reaching it or"
                        + " where the rule it calls starts (a different type, first property or constant); use"
                        + " anyOf where the options cannot both match");
            }
        }
    }

    /**
     * Whether no text is accepted by two of {@code options} (automata that may call {@code rules}), shown
     * on larger languages: each call read as the called rule's text in which every further call is any text
     * at all. Options that part before their first call or where the called rule starts (a string against
     * an object, {@code {"and": ...}} against {@code {"or": ...}}, a list's next cell against null) are
     * disjoint; where a deeper call could decide, this says no.
     */
    static boolean disjoint(List<Automaton> options, List<Automaton> rules) {
        List<Automaton> wide = new ArrayList<>();
        for (Automaton option : options) {
            wide.add(callsInlined(option, rules));
        }
        for (int i = 0; i < wide.size(); i++) {
            for (int j = i + 1; j < wide.size(); j++) {
                if (Grammar.acceptsSomething(wide.get(i).intersection(wide.get(j)))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A copy of {@code a} where each call symbol may also be read as the called rule's text, that rule's
     * own calls read as any text ({@code rules} null: every call read as any text). The copy keeps every
     * transition: a low surrogate inside a pair is text, and keeping the symbols only adds texts that have
     * them, which no option's texts do.
     */
    private static Automaton callsInlined(Automaton a, List<Automaton> rules) {
        Automaton c = a.clone();
        List<StatePair> epsilons = new ArrayList<>();
        for (State s : new ArrayList<>(c.getStates())) {
            for (Transition t : new ArrayList<>(s.getTransitions())) {
                if (t.getMax() < Grammar.CALL_BASE || t.getMin() > 0xDFFF) {
                    continue;
                }
                int from = Math.max(t.getMin(), Grammar.CALL_BASE) - Grammar.CALL_BASE;
                int to = Math.min(t.getMax(), 0xDFFF) - Grammar.CALL_BASE;
                if (rules == null || to >= rules.size() || rules.subList(from, to + 1).contains(null)) {
                    State anyText = new State();
                    anyText.addTransition(new Transition(Character.MIN_VALUE, Character.MAX_VALUE, anyText));
                    epsilons.add(new StatePair(s, anyText));
                    epsilons.add(new StatePair(anyText, t.getDest()));
                    continue;
                }
                for (int q = from; q <= to; q++) {
                    Automaton called = callsInlined(rules.get(q), null);
                    epsilons.add(new StatePair(s, called.getInitialState()));
                    for (State end : called.getAcceptStates()) {
                        end.setAccept(false);
                        epsilons.add(new StatePair(end, t.getDest()));
                    }
                }
            }
        }
        c.addEpsilons(epsilons);
        return c;
    }

    private String itemSeparator() {
        return whitespace == Whitespace.PYTHON ? ", " : ",";
    }

    private String keySeparator() {
        return whitespace == Whitespace.PYTHON ? ": " : ":";
    }

    @SuppressWarnings("unchecked")
    private Automaton schema(Object node, String pointer) throws SchemaException {
        if (node instanceof Boolean b) {
            return b ? anyValue(pointer) : Automaton.makeEmpty();
        }
        if (!(node instanceof Map)) {
            throw new SchemaException(pointer, "a schema must be an object or a boolean");
        }
        Map<String, Object> s = (Map<String, Object>) node;
        if (ANNOTATIONS.containsAll(s.keySet())) {
            return anyValue(pointer);
        }
        for (String key : s.keySet()) {
            if (!KNOWN.contains(key) && !ANNOTATIONS.contains(key)) {
                throw new SchemaException(pointer + "/" + escape(key), "keyword '" + key + "' is not supported");
            }
        }
        if (s.containsKey("allOf")) {
            Map<String, Object> merged = mergedObjects(s, pointer);
            if (merged != null) {
                return schema(merged, pointer);
            }
        }
        List<Automaton> all = new ArrayList<>();
        if (s.containsKey("$ref")) {
            all.add(ref(s.get("$ref"), pointer + "/$ref"));
        }
        if (s.containsKey("const")) {
            all.add(literal(s.get("const"), pointer + "/const"));
        }
        if (s.containsKey("enum")) {
            if (!(s.get("enum") instanceof List<?> values) || values.isEmpty()) {
                throw new SchemaException(pointer + "/enum", "enum must be a non-empty array");
            }
            List<Automaton> options = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                options.add(literal(values.get(i), pointer + "/enum/" + i));
            }
            all.add(Automaton.union(options));
        }
        if (s.containsKey("allOf")) {
            List<?> list = list(s.get("allOf"), pointer + "/allOf");
            for (int i = 0; i < list.size(); i++) {
                Object member = list.get(i);
                // a member that constrains nothing (true, or only annotations) is no part of the intersection
                if (!Boolean.TRUE.equals(member) && !(member instanceof Map<?, ?> m && ANNOTATIONS.containsAll(m.keySet()))) {
                    all.add(schema(member, pointer + "/allOf/" + i));
                }
            }
        }
        if (s.containsKey("anyOf")) {
            List<?> list = list(s.get("anyOf"), pointer + "/anyOf");
            List<Automaton> options = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                options.add(schema(list.get(i), pointer + "/anyOf/" + i));
            }
            all.add(Automaton.union(options));
        }
        if (s.containsKey("oneOf")) {
            List<?> list = list(s.get("oneOf"), pointer + "/oneOf");
            List<Automaton> options = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                options.add(schema(list.get(i), pointer + "/oneOf/" + i));
            }
            if (options.stream().anyMatch(Grammar::hasCalls)) {
                // no text minus another is computable over recursion; exactly one of options that no text
                // satisfies twice is any of them: checked once every rule is known (see checkOneOfs)
                List<Automaton> copies = new ArrayList<>();
                for (Automaton option : options) {
                    copies.add(option.clone());
                }
                pendingOneOfs.add(new PendingOneOf(pointer + "/oneOf", copies));
                all.add(Automaton.union(options));
            } else {
                // exactly one: each option less every other (texts two options accept are left out)
                List<Automaton> exclusive = new ArrayList<>();
                for (int i = 0; i < options.size(); i++) {
                    Automaton only = options.get(i);
                    for (int j = 0; j < options.size(); j++) {
                        if (j != i) {
                            only = only.minus(options.get(j));
                        }
                    }
                    exclusive.add(only);
                }
                all.add(Automaton.union(exclusive));
            }
        }
        boolean typed = s.containsKey("type") || s.keySet().stream().anyMatch(k -> typeKeyword(k));
        if (typed || all.isEmpty()) {
            all.add(byType(s, pointer));
        }
        Automaton result = all.get(0);
        for (int i = 1; i < all.size(); i++) {
            result = intersect(result, all.get(i), pointer, "combining keywords ($ref, allOf, enum, const, type)");
        }
        // small operands keep the concatenations and unions of the enclosing schemas cheap
        if (!minimal.contains(result)) {
            Minimizer.minimize(result);
            minimal.add(result);
        }
        return result;
    }

    private static boolean typeKeyword(String k) {
        return Set.of("properties", "required", "additionalProperties", "items", "prefixItems", "minItems",
                "maxItems", "minProperties", "maxProperties", "propertyNames", "uniqueItems", "additionalItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "multipleOf").contains(k);
    }

    /** The union over the schema's types (all types when none is named) of each type's texts. */
    private Automaton byType(Map<String, Object> s, String pointer) throws SchemaException {
        List<String> types = new ArrayList<>();
        Object type = s.get("type");
        if (type instanceof String t) {
            types.add(t);
        } else if (type instanceof List<?> list) {
            for (Object t : list) {
                types.add(String.valueOf(t));
            }
        } else if (type == null) {
            // no type: the types the schema's keywords speak of, or every type
            if (s.keySet().stream().anyMatch(k -> Set.of("properties", "required", "additionalProperties", "minProperties",
                    "maxProperties", "propertyNames").contains(k))) {
                types.add("object");
            }
            if (s.keySet().stream().anyMatch(k -> Set.of("items", "prefixItems", "minItems", "maxItems", "uniqueItems").contains(k))) {
                types.add("array");
            }
            if (s.keySet().stream().anyMatch(k -> Set.of("minLength", "maxLength", "pattern", "format").contains(k))) {
                types.add("string");
            }
            if (s.keySet().stream().anyMatch(k -> k.endsWith("inimum") || k.endsWith("aximum"))) {
                types.add("number");
            }
            if (types.isEmpty()) {
                types.addAll(List.of("object", "array", "string", "number", "boolean", "null"));
            }
        } else {
            throw new SchemaException(pointer + "/type", "type must be a string or an array of strings");
        }
        if (Boolean.TRUE.equals(s.get("nullable")) && !types.contains("null")) {
            types.add("null");
        }
        List<Automaton> options = new ArrayList<>();
        for (String t : types) {
            options.add(switch (t) {
                case "object" -> object(s, pointer);
                case "array" -> array(s, pointer);
                case "string" -> string(s, pointer);
                case "integer" -> number(s, pointer, true);
                case "number" -> number(s, pointer, false);
                case "boolean" -> Automaton.makeString("true").union(Automaton.makeString("false"));
                case "null" -> Automaton.makeString("null");
                default -> throw new SchemaException(pointer + "/type", "unknown type '" + t + "'");
            });
        }
        return options.size() == 1 ? options.get(0) : Automaton.union(options);
    }

    @SuppressWarnings("unchecked")
    private Automaton object(Map<String, Object> s, String pointer) throws SchemaException {
        Map<String, Object> properties = s.get("properties") instanceof Map<?, ?> m ? (Map<String, Object>) m
                : new LinkedHashMap<>();
        Set<String> required = new HashSet<>();
        if (s.get("required") instanceof List<?> list) {
            for (Object r : list) {
                required.add(String.valueOf(r));
            }
        }
        for (String r : required) {
            if (!properties.containsKey(r)) {
                throw new SchemaException(pointer + "/required", "required property '" + r + "' has no schema in"
                        + " properties, and this engine writes only listed properties");
            }
        }
        int minProperties = intValue(s.get("minProperties"), pointer + "/minProperties", 0);
        int maxProperties = intValue(s.get("maxProperties"), pointer + "/maxProperties", -1);
        Automaton names = null;
        if (s.containsKey("propertyNames")) {
            names = schema(s.get("propertyNames"), pointer + "/propertyNames");
            if (Grammar.hasCalls(names)) {
                throw new SchemaException(pointer + "/propertyNames", "propertyNames must be a string schema");
            }
        }
        Map<String, Object> patterns = s.get("patternProperties") instanceof Map<?, ?> m ? (Map<String, Object>) m
                : Map.of();
        if (s.containsKey("patternProperties") && !(s.get("patternProperties") instanceof Map)) {
            throw new SchemaException(pointer + "/patternProperties", "patternProperties must be an object");
        }
        // properties in the schema's order; an optional one may be left out. counts[c]: the texts so far
        // with c properties written (the last bucket: that many or more, when there is no maxProperties),
        // so separators go only between written properties and the count can be bounded.
        List<String> keys = new ArrayList<>();
        List<Automaton> values = new ArrayList<>();
        List<Boolean> requiredMembers = new ArrayList<>();
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            String at = pointer + "/properties/" + escape(p.getKey());
            if (names != null && !names.run(quote(p.getKey()))) {
                // a name propertyNames rules out is never written
                if (required.contains(p.getKey())) {
                    throw new SchemaException(pointer + "/propertyNames", "required property '" + p.getKey()
                            + "' does not satisfy propertyNames");
                }
                continue;
            }
            Automaton value = schema(p.getValue(), at);
            // a listed property whose name a patternProperties pattern matches must satisfy that schema too
            for (Map.Entry<String, Object> pattern : patterns.entrySet()) {
                String patternAt = pointer + "/patternProperties/" + escape(pattern.getKey());
                if (pattern(pattern.getKey(), patternAt).run(p.getKey())) {
                    value = intersect(value, schema(pattern.getValue(), patternAt), patternAt, "patternProperties");
                }
            }
            keys.add(quote(p.getKey()) + keySeparator());
            values.add(value);
            requiredMembers.add(required.contains(p.getKey()));
        }
        if (maxProperties < 0 && minProperties <= 1) {
            return chain(keys, values, requiredMembers, minProperties == 0);
        }
        List<Automaton> members = new ArrayList<>();
        for (int m = 0; m < keys.size(); m++) {
            members.add(Automaton.makeString(keys.get(m)).concatenate(values.get(m)));
        }
        int buckets = (maxProperties >= 0 ? maxProperties : Math.max(minProperties, 1)) + 1;
        boolean saturating = maxProperties < 0;
        Automaton[] counts = new Automaton[buckets];
        Arrays.fill(counts, Automaton.makeEmpty());
        counts[0] = Automaton.makeString("{");
        for (int m = 0; m < members.size(); m++) {
            Automaton member = members.get(m);
            Automaton[] next = new Automaton[buckets];
            for (int c = 0; c < buckets; c++) {
                next[c] = requiredMembers.get(m) ? Automaton.makeEmpty() : counts[c];
            }
            for (int c = 0; c < buckets; c++) {
                if (counts[c].isEmpty()) {
                    continue;
                }
                int to = c + 1;
                if (to >= buckets) {
                    if (!saturating) {
                        continue;
                    }
                    to = buckets - 1;
                }
                Automaton written = counts[c].concatenate(c == 0 ? member
                        : Automaton.makeString(itemSeparator()).concatenate(member));
                next[to] = next[to].union(written);
            }
            // each bucket minimized: unions and concatenations copy their operands, so unminimized buckets
            // would grow with every property (each bucket holds copies of the ones before it)
            for (Automaton bucket : next) {
                Minimizer.minimize(bucket);
            }
            counts = next;
        }
        List<Automaton> ends = new ArrayList<>();
        for (int c = Math.min(minProperties, buckets - 1); c < buckets; c++) {
            ends.add(counts[c]);
        }
        return Automaton.union(ends).concatenate(Automaton.makeString("}"));
    }

    /**
     * An object's texts when only "none" or "some" written properties matter for what may follow (no
     * maxProperties, minProperties at most 1): a chain of two states per property, before it with nothing
     * written yet and with something written (then a separator goes first), both leading into the
     * property's key and value (linked in, not copied) and, where the property is optional, on to the
     * next. Built in one pass and minimized once, where adding the properties one by one to minimized count
     * buckets costs the size of all of them for each.
     */
    private Automaton chain(List<String> keys, List<Automaton> values, List<Boolean> required, boolean mayBeEmpty) {
        int n = keys.size();
        State[] none = new State[n + 1];
        State[] some = new State[n + 1];
        for (int i = 0; i <= n; i++) {
            none[i] = new State();
            some[i] = new State();
        }
        State start = new State();
        start.addTransition(new Transition('{', none[0]));
        State end = new State();
        end.setAccept(true);
        some[n].addTransition(new Transition('}', end));
        if (mayBeEmpty) {
            none[n].addTransition(new Transition('}', end));
        }
        List<StatePair> epsilons = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            State key = new State();
            epsilons.add(new StatePair(none[i], key));
            epsilons.add(new StatePair(spell(some[i], itemSeparator()), key));
            link(values.get(i), spell(key, keys.get(i)), some[i + 1], epsilons);
            if (!required.get(i)) {
                epsilons.add(new StatePair(none[i], none[i + 1]));
                epsilons.add(new StatePair(some[i], some[i + 1]));
            }
        }
        return closed(start, epsilons);
    }

    /** The automaton from {@code start} once its epsilon moves are closed, minimized (and so marked). */
    private Automaton closed(State start, List<StatePair> epsilons) {
        Automaton result = new Automaton();
        result.setInitialState(start);
        result.addEpsilons(new java.util.LinkedHashSet<>(epsilons)); // a set: brics looks pairs up while closing them
        result.setDeterministic(false);
        Minimizer.minimize(result);
        minimal.add(result);
        return result;
    }

    /** A path from {@code from} spelling {@code text}; returns the state at its end. */
    private static State spell(State from, String text) {
        State at = from;
        for (int i = 0; i < text.length(); i++) {
            State next = new State();
            at.addTransition(new Transition(text.charAt(i), next));
            at = next;
        }
        return at;
    }

    /**
     * Wires {@code a} between {@code from} and {@code to} (its accepting states lead on to {@code to}): its
     * states become part of the automaton being built, and {@code a} is used up (pass a copy of one that
     * is wired in again).
     */
    private static void link(Automaton a, State from, State to, List<StatePair> epsilons) {
        a.expandSingleton();
        Set<State> accepting = a.getAcceptStates();
        epsilons.add(new StatePair(from, a.getInitialState()));
        for (State s : accepting) {
            s.setAccept(false);
            epsilons.add(new StatePair(s, to));
        }
    }

    private Automaton array(Map<String, Object> s, String pointer) throws SchemaException {
        int most = intValue(s.get("maxItems"), pointer + "/maxItems", -1);
        if (Boolean.TRUE.equals(s.get("uniqueItems")) && (most < 0 || most > 1)) {
            List<String> values = uniqueValues(s, pointer);
            if (values == null) {
                throw new SchemaException(pointer + "/uniqueItems", "uniqueItems: true is supported for items of an"
                        + " enum or const only (other generated items could repeat); leave it out otherwise");
            }
            return uniqueArray(values, intValue(s.get("minItems"), pointer + "/minItems", 0),
                    intValue(s.get("maxItems"), pointer + "/maxItems", -1), pointer);
        }
        int min = intValue(s.get("minItems"), pointer + "/minItems", 0);
        int max = intValue(s.get("maxItems"), pointer + "/maxItems", -1);
        List<Automaton> prefix = new ArrayList<>();
        if (s.get("prefixItems") instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                prefix.add(schema(list.get(i), pointer + "/prefixItems/" + i));
            }
        } else if (s.containsKey("prefixItems")) {
            throw new SchemaException(pointer + "/prefixItems", "prefixItems must be an array of schemas");
        }
        Object items = s.get("items");
        if (items instanceof List<?> tuple) {
            // draft 7's array form of items is 2020-12's prefixItems
            for (int i = 0; i < tuple.size(); i++) {
                prefix.add(schema(tuple.get(i), pointer + "/items/" + i));
            }
            items = s.get("additionalItems");
        }
        Automaton rest = items == null ? anyValue(pointer + "/items") : schema(items, pointer + "/items");
        // lengths n = min..max: the first k = min(n, prefix) items from the prefix, then rest items
        int top = max >= 0 ? max : Math.max(min, prefix.size()) + 1;
        if (rest.getNumberOfStates() * (long) Math.max(0, top - prefix.size()) > INLINE_LIMIT) {
            // counting items copies the item's automaton once per count: a large item becomes a rule
            rest = asRule(rest, "items of " + (pointer.isEmpty() ? "the root" : pointer));
        }
        if (min > top) {
            throw new SchemaException(pointer + "/maxItems", "maxItems is below minItems: no array fits");
        }
        // after[k]: k items written; each item linked in at its place (rest items copied), and the
        // array may close after min..top items, or go on with more at the top when it has no maxItems
        State start = new State();
        State end = new State();
        end.setAccept(true);
        State[] after = new State[top + 1];
        after[0] = new State();
        start.addTransition(new Transition('[', after[0]));
        List<StatePair> epsilons = new ArrayList<>();
        // the places rest items take: each gets a copy but the last, which gets rest itself
        int restUses = Math.max(0, top - prefix.size()) + (max < 0 ? 1 : 0);
        for (int k = 0; k < top; k++) {
            after[k + 1] = new State();
            Automaton item = k < prefix.size() ? prefix.get(k) : --restUses > 0 ? rest.clone() : rest;
            link(item, k == 0 ? after[0] : spell(after[k], itemSeparator()), after[k + 1], epsilons);
        }
        for (int k = min; k <= top; k++) {
            after[k].addTransition(new Transition(']', end));
        }
        if (max < 0) {
            // any number more at the top (at least one item is written by then): a separator and an item
            link(rest, spell(after[top], itemSeparator()), after[top], epsilons);
        }
        return closed(start, epsilons);
    }

    /** The most item texts times places a unique array may take (each is a copy of the item's text). */
    static final int UNIQUE_LIMIT = 4096;

    /**
     * The texts of the distinct values an array's items may take, where its items are an enum or a const
     * (annotations aside) and no prefix comes first; else null. Values equal as JSON (numbers by value)
     * count once.
     */
    @SuppressWarnings("unchecked")
    private List<String> uniqueValues(Map<String, Object> s, String pointer) throws SchemaException {
        if (s.containsKey("prefixItems") || !(s.get("items") instanceof Map<?, ?> items)) {
            return null;
        }
        Map<String, Object> item = (Map<String, Object>) items;
        List<?> values;
        if (item.get("enum") instanceof List<?> list && onlyAnnotationsBut(item, "enum")) {
            values = list;
        } else if (item.containsKey("const") && onlyAnnotationsBut(item, "const")) {
            values = java.util.Collections.singletonList(item.get("const"));
        } else {
            return null;
        }
        Map<Object, String> distinct = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            Object key = v instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros() : v;
            distinct.putIfAbsent(key, write(v, pointer + "/items/enum/" + i));
        }
        return new ArrayList<>(distinct.values());
    }

    private static boolean onlyAnnotationsBut(Map<String, Object> s, String keyword) {
        return s.keySet().stream().allMatch(k -> k.equals(keyword) || ANNOTATIONS.contains(k));
    }

    /**
     * An array of distinct items among {@code values}, written in their order (each at most once: this
     * engine's one writing of each such array), {@code min} to {@code max} of them.
     */
    private Automaton uniqueArray(List<String> values, int min, int max, String pointer) throws SchemaException {
        int n = values.size();
        int top = max < 0 ? n : Math.min(max, n);
        if (min > top) {
            throw new SchemaException(pointer + "/minItems", "minItems is above the " + n + " distinct values the"
                    + " items may take: no array of unique items fits");
        }
        if ((long) n * n * Math.max(1, top) > UNIQUE_LIMIT) {
            throw new SchemaException(pointer + "/uniqueItems", "uniqueItems: true over " + n + " values and up to "
                    + top + " items is too large to write out (at most " + UNIQUE_LIMIT + " item places)");
        }
        // at[k][i]: k items written, the last of them values[i] (at[0][n]: none yet)
        State start = new State();
        State end = new State();
        end.setAccept(true);
        State[][] at = new State[top + 1][n + 1];
        at[0][n] = new State();
        start.addTransition(new Transition('[', at[0][n]));
        List<StatePair> epsilons = new ArrayList<>();
        for (int k = 0; k <= top; k++) {
            for (int last = 0; last <= n; last++) {
                State from = at[k][last];
                if (from == null) {
                    continue;
                }
                if (k >= min) {
                    from.addTransition(new Transition(']', end));
                }
                if (k == top) {
                    continue;
                }
                State next = k == 0 ? from : spell(from, itemSeparator());
                for (int i = k == 0 ? 0 : last + 1; i < n; i++) {
                    if (at[k + 1][i] == null) {
                        at[k + 1][i] = new State();
                    }
                    link(Automaton.makeString(values.get(i)), next, at[k + 1][i], epsilons);
                }
            }
        }
        return closed(start, epsilons);
    }

    /**
     * Strings' texts (quotes included, minimized) by their lengths, pattern and format, the ones used last:
     * encoding the escapes and minimizing took a fifth of compiling a schema, and schemas repeat the same
     * few kinds of string (a copy is handed out: the automata being built take their parts over).
     */
    private static final Map<StringKind, Automaton> STRINGS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StringKind, Automaton> eldest) {
            return size() > 512;
        }
    };

    /** What a string's texts depend on (absent keywords as null). */
    private record StringKind(int min, int max, Object format, Object pattern) {
    }

    private Automaton string(Map<String, Object> s, String pointer) throws SchemaException {
        int min = intValue(s.get("minLength"), pointer + "/minLength", 0);
        int max = intValue(s.get("maxLength"), pointer + "/maxLength", -1);
        if (s.containsKey("pattern") && !(s.get("pattern") instanceof String)) {
            throw new SchemaException(pointer + "/pattern", "pattern must be a string");
        }
        StringKind key = new StringKind(min, max, s.get("format"), s.get("pattern"));
        Automaton cached;
        synchronized (STRINGS) {
            cached = STRINGS.get(key);
        }
        if (cached == null) {
            cached = encodedString(s, pointer, min, max);
            Minimizer.minimize(cached);
            synchronized (STRINGS) {
                STRINGS.put(key, cached);
            }
        }
        Automaton copy = cached.clone();
        minimal.add(copy);
        return copy;
    }

    private static Automaton encodedString(Map<String, Object> s, String pointer, int min, int max)
            throws SchemaException {
        // any string of the lengths, intersected with the pattern and the format (when there are no
        // lengths, the pattern or format alone: intersecting with every string costs time for nothing)
        Automaton value = min == 0 && max < 0 ? null
                : max >= 0 ? CodePoints.any().repeat(min, max) : CodePoints.any().repeat(min);
        if (s.get("pattern") instanceof String pattern) {
            Automaton p = pattern(pattern, pointer + "/pattern");
            value = value == null ? p : value.intersection(p);
        }
        if (s.get("format") instanceof String format) {
            Automaton f = Formats.of(format, pointer + "/format");
            value = value == null ? f : value.intersection(f);
        }
        if (value == null) {
            value = CodePoints.any().repeat();
        }
        return quoted(JsonStrings.encode(value));
    }

    /**
     * A string's encodings between quotes, made from {@code encoded} itself (fresh from
     * {@link JsonStrings#encode}, whose texts hold no bare quote): a new start before it, a new end after.
     */
    private static Automaton quoted(Automaton encoded) {
        State start = new State();
        State end = new State();
        end.setAccept(true);
        start.addTransition(new Transition('"', encoded.getInitialState()));
        for (State s : encoded.getAcceptStates()) {
            s.setAccept(false);
            s.addTransition(new Transition('"', end));
        }
        encoded.setInitialState(start);
        return encoded;
    }

    /** JSON Schema's pattern: an unanchored search unless it starts with ^ or ends with $. */
    private static Automaton pattern(String pattern, String pointer) throws SchemaException {
        Automaton p;
        try {
            p = EcmaRegex.parse(pattern);
        } catch (RegexSyntaxException e) {
            throw new SchemaException(pointer, e.getMessage() + " at character " + (e.index() + 1) + " of '"
                    + pattern + "'");
        }
        boolean start = pattern.startsWith("^");
        boolean end = pattern.endsWith("$") && !pattern.endsWith("\\$");
        Automaton any = CodePoints.any().repeat();
        return (start ? Automaton.makeEmptyString() : any).concatenate(p).concatenate(end
                ? Automaton.makeEmptyString() : any);
    }

    private Automaton number(Map<String, Object> s, String pointer, boolean integer) throws SchemaException {
        // the bounds as whole numbers inside them: what is generated stays inside the real bounds (a
        // fraction is written only between two whole numbers that are both inside)
        Long lo = max(bound(s, "minimum", pointer, java.math.RoundingMode.CEILING, 0),
                bound(s, "exclusiveMinimum", pointer, java.math.RoundingMode.FLOOR, 1));
        Long hi = min(bound(s, "maximum", pointer, java.math.RoundingMode.FLOOR, 0),
                bound(s, "exclusiveMaximum", pointer, java.math.RoundingMode.CEILING, -1));
        // an unbounded side is bounded at 15 digits, which a double holds exactly
        Automaton ints = IntegerRanges.range(lo == null ? -MAX_PLAIN : lo, hi == null ? MAX_PLAIN : hi);
        Automaton multiples = s.containsKey("multipleOf") ? Multiples.of(s.get("multipleOf"), pointer + "/multipleOf")
                : null;
        if (integer) {
            return multiples == null ? ints : intersect(ints, multiples, pointer, "multipleOf");
        }
        // a fraction only where the whole value stays inside: k.f with lo <= k and k + 1 <= hi (k >= 0),
        // -(m.f) with -(m + 1) >= lo and -m <= hi (m >= 0)
        Automaton fraction = Automaton.makeChar('.').concatenate(Automaton.makeCharRange('0', '9')
                .repeat(1, FRACTION_DIGITS));
        long top = hi == null ? MAX_PLAIN : hi - 1;
        long bottom = lo == null ? 0 : Math.max(lo, 0);
        Automaton positive = bottom > top ? Automaton.makeEmpty()
                : IntegerRanges.nonNegative(bottom, top).concatenate(fraction);
        long negHi = lo == null ? MAX_PLAIN : -lo - 1;                  // largest m
        long negLo = hi == null ? 0 : Math.max(0, -hi);                  // smallest m
        Automaton negative = negHi < negLo ? Automaton.makeEmpty()
                : Automaton.makeChar('-').concatenate(IntegerRanges.nonNegative(negLo, negHi)).concatenate(fraction);
        Automaton numbers = ints.union(positive).union(negative);
        return multiples == null ? numbers : intersect(numbers, multiples, pointer, "multipleOf");
    }

    /**
     * A numeric keyword as a whole number: the value rounded by {@code rounding}, then moved by
     * {@code shift} (an exclusive bound's next whole number inside); null when the keyword is absent.
     */
    private static Long bound(Map<String, Object> s, String key, String pointer, java.math.RoundingMode rounding,
            int shift) throws SchemaException {
        Object v = s.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean) {
            throw new SchemaException(pointer + "/" + key, "draft 4's boolean " + key + " is not supported");
        }
        if (!(v instanceof Number n)) {
            throw new SchemaException(pointer + "/" + key, key + " must be a number");
        }
        // exclusiveMinimum e: floor(e) + 1 (6 for 5 and for 5.5); exclusiveMaximum E: ceil(E) - 1
        return new BigDecimal(n.toString()).setScale(0, rounding).longValueExact() + shift;
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private Automaton ref(Object value, String pointer) throws SchemaException {
        if (!(value instanceof String ref) || !ref.startsWith("#")) {
            throw new SchemaException(pointer, "only local references (#/...) are supported, got " + value);
        }
        if (!resolving.add(ref)) {
            // a reference inside its own target: a call of the rule its outermost use defines below
            return Grammar.call(refRules.computeIfAbsent(ref, r -> newRule(r)));
        }
        try {
            Automaton a = schema(target(ref, pointer), ref.substring(1));
            Integer index = refRules.get(ref);
            if (index != null && rules.get(index) == null) {
                Minimizer.minimize(a);
                rules.set(index, a.clone());
            }
            return a;
        } finally {
            resolving.remove(ref);
        }
    }

    /** The schema a local reference points at. */
    private Object target(String ref, String pointer) throws SchemaException {
        Object target = root;
        String path = ref.substring(1);
        if (!path.isEmpty()) {
            for (String part : path.substring(1).split("/")) {
                String key = part.replace("~1", "/").replace("~0", "~");
                if (target instanceof Map<?, ?> m && m.containsKey(key)) {
                    target = m.get(key);
                } else if (target instanceof List<?> l && key.matches("\\d+") && Integer.parseInt(key) < l.size()) {
                    target = l.get(Integer.parseInt(key));
                } else {
                    throw new SchemaException(pointer, "reference " + ref + " points at nothing");
                }
            }
        }
        return target;
    }

    /** The keywords an object schema merged from an allOf may hold (besides annotations). */
    private static final Set<String> MERGEABLE = Set.of("type", "properties", "required", "additionalProperties",
            "allOf", "$ref");

    /**
     * An allOf of object schemas as one object schema (JSON Schema's usual way of extending a base object),
     * or null where it is not one: every part (the schema's own keywords, each member, a member's local
     * reference followed where it is no recursion) holds only {@link #MERGEABLE} keywords and annotations,
     * types nothing but objects. The merged schema lists every part's
     * properties in order (a name listed by several parts takes all their schemas), requires what any part
     * requires, and leaves out the names a part closes with {@code additionalProperties: false}; a part's
     * additionalProperties schema applies to the names it does not list. Intersecting the parts'
     * automata instead would be empty, as this engine writes only listed properties.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> mergedObjects(Map<String, Object> s, String pointer) throws SchemaException {
        List<Map<String, Object>> parts = new ArrayList<>();
        List<String> at = new ArrayList<>();
        if (!collectParts(s, pointer, parts, at, 0)) {
            return null;
        }
        boolean typed = false;
        for (Map<String, Object> part : parts) {
            Object type = part.get("type");
            if (type != null && !"object".equals(type)) {
                return null;
            }
            typed |= type != null;
            if (part.containsKey("additionalProperties") && !(part.get("additionalProperties") instanceof Boolean)
                    && !(part.get("additionalProperties") instanceof Map)) {
                return null;
            }
            if (part.containsKey("properties") && !(part.get("properties") instanceof Map)
                    || part.containsKey("required") && !(part.get("required") instanceof List)) {
                return null;
            }
        }
        if (!typed && parts.stream().noneMatch(p -> p.containsKey("properties") || p.containsKey("required")
                || p.containsKey("additionalProperties"))) {
            return null; // nothing here says object (annotations only): no merging to do
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        java.util.LinkedHashSet<String> required = new java.util.LinkedHashSet<>();
        for (Map<String, Object> part : parts) {
            Map<String, Object> listed = (Map<String, Object>) part.getOrDefault("properties", Map.of());
            for (Map.Entry<String, Object> p : listed.entrySet()) {
                properties.merge(p.getKey(), p.getValue(), JsonSchemaCompiler::bothSchemas);
            }
            for (Object r : (List<Object>) part.getOrDefault("required", List.of())) {
                required.add(String.valueOf(r));
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            Map<String, Object> part = parts.get(i);
            Object more = part.get("additionalProperties");
            if (more == null || Boolean.TRUE.equals(more)) {
                continue;
            }
            Map<String, Object> listed = (Map<String, Object>) part.getOrDefault("properties", Map.of());
            for (String name : new ArrayList<>(properties.keySet())) {
                if (listed.containsKey(name)) {
                    continue;
                }
                if (Boolean.FALSE.equals(more)) {
                    if (required.contains(name)) {
                        throw new SchemaException(at.get(i) + "/additionalProperties", "required property '" + name
                                + "' is ruled out by additionalProperties: false here");
                    }
                    properties.remove(name);
                } else {
                    properties.merge(name, more, JsonSchemaCompiler::bothSchemas);
                }
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (typed) {
            merged.put("type", "object");
        }
        merged.put("properties", properties);
        if (!required.isEmpty()) {
            merged.put("required", new ArrayList<>(required));
        }
        return merged;
    }

    /** A schema both given schemas hold for (one of them where they are the same). */
    private static Object bothSchemas(Object a, Object b) {
        return a.equals(b) ? a : Map.of("allOf", List.of(a, b));
    }

    /**
     * Adds {@code s} (without its allOf) and its allOf members, references followed, to {@code parts}
     * (with their pointers); false where some part is no mergeable object schema.
     */
    @SuppressWarnings("unchecked")
    private boolean collectParts(Map<String, Object> s, String pointer, List<Map<String, Object>> parts,
            List<String> at, int depth) throws SchemaException {
        if (depth > 16) {
            return false;
        }
        for (String key : s.keySet()) {
            if (!MERGEABLE.contains(key) && !ANNOTATIONS.contains(key)) {
                return false;
            }
        }
        Map<String, Object> own = new LinkedHashMap<>(s);
        own.remove("allOf");
        own.remove("$ref");
        parts.add(own);
        at.add(pointer);
        if (s.get("$ref") instanceof String ref && ref.startsWith("#")) {
            if (resolving.contains(ref) || !(target(ref, pointer + "/$ref") instanceof Map<?, ?> target)
                    || !collectParts((Map<String, Object>) target, ref.substring(1), parts, at, depth + 1)) {
                return false;
            }
        } else if (s.containsKey("$ref")) {
            return false;
        }
        if (s.containsKey("allOf")) {
            if (!(s.get("allOf") instanceof List<?> members)) {
                return false;
            }
            for (int i = 0; i < members.size(); i++) {
                Object member = members.get(i);
                if (Boolean.TRUE.equals(member)) {
                    continue;
                }
                if (!(member instanceof Map<?, ?> m)
                        || !collectParts((Map<String, Object>) m, pointer + "/allOf/" + i, parts, at, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The most states that counted copies of an array's item may add to the automaton before the item
     * becomes a rule of its own (a bounded array of large objects would otherwise multiply them: the
     * automaton, and its compile time, grow with maxItems times the item).
     */
    static final int INLINE_LIMIT = 2000;

    /** {@code a} as a rule of the grammar: what stands in its place is one call. */
    private Automaton asRule(Automaton a, String name) {
        int index = newRule(name);
        Minimizer.minimize(a);
        rules.set(index, a);
        return Grammar.call(index);
    }

    /** A rule whose automaton is set later. */
    private int newRule(String name) {
        if (rules.size() >= Grammar.MAX_RULES) {
            throw new IllegalStateException("more than " + Grammar.MAX_RULES + " recursive places");
        }
        rules.add(null);
        ruleNames.add(name);
        return rules.size() - 1;
    }

    /**
     * Any JSON value, in this engine's writing (where a schema allows anything): objects with any keys,
     * arrays, strings, plain numbers, true, false and null, nested without bound (a rule of the grammar).
     */
    private Automaton anyValue(String pointer) throws SchemaException {
        if (anyRule < 0) {
            anyRule = newRule("any JSON value");
            Automaton value = Grammar.call(anyRule);
            Automaton sep = Automaton.makeString(itemSeparator());
            Automaton string = Automaton.makeChar('"').concatenate(JsonStrings.encode(CodePoints.any().repeat()))
                    .concatenate(Automaton.makeChar('"'));
            Automaton member = string.concatenate(Automaton.makeString(keySeparator())).concatenate(value);
            Automaton object = Automaton.makeChar('{').concatenate(Automaton.makeEmptyString().union(
                    member.concatenate(sep.concatenate(member).repeat()))).concatenate(Automaton.makeChar('}'));
            Automaton array = Automaton.makeChar('[').concatenate(Automaton.makeEmptyString().union(
                    value.concatenate(sep.concatenate(value).repeat()))).concatenate(Automaton.makeChar(']'));
            Automaton any = Automaton.union(List.of(object, array, string, number(Map.of(), pointer, false),
                    Automaton.makeString("true"), Automaton.makeString("false"), Automaton.makeString("null")));
            Minimizer.minimize(any);
            rules.set(anyRule, any);
        }
        return Grammar.call(anyRule);
    }

    /** The one writing of a JSON value (const, enum). */
    private Automaton literal(Object value, String pointer) throws SchemaException {
        return Automaton.makeString(write(value, pointer));
    }

    @SuppressWarnings("unchecked")
    private String write(Object value, String pointer) throws SchemaException {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return d.stripTrailingZeros().scale() <= 0 ? d.toBigIntegerExact().toString() : d.toPlainString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : itemSeparator()).append(write(list.get(i), pointer + "/" + i));
            }
            return sb.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                sb.append(first ? "" : itemSeparator()).append(quote(e.getKey())).append(keySeparator())
                        .append(write(e.getValue(), pointer + "/" + escape(e.getKey())));
                first = false;
            }
            return sb.append('}').toString();
        }
        throw new SchemaException(pointer, "not a JSON value: " + value);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(JsonStrings.escape(c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static List<?> list(Object value, String pointer) throws SchemaException {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new SchemaException(pointer, "must be a non-empty array of schemas");
        }
        return list;
    }

    private static int intValue(Object value, String pointer, int fallback) throws SchemaException {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new SchemaException(pointer, "must be a non-negative integer");
        }
        if (n.longValue() > EcmaRegex.MAX_REPEAT) {
            throw new SchemaException(pointer, "values above " + EcmaRegex.MAX_REPEAT + " are not supported");
        }
        return n.intValue();
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
