package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import dk.brics.automaton.Automaton;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 300 generated schemas ({@link SchemaCorpus}), three random walks through each one's token mask on
 * GPT-2's vocabulary (its 8000 most frequent tokens, so the walks cross boundaries inside tokens):
 * every document the mask lets through parses and validates against its schema with an independent
 * validator (networknt, draft 2020-12, formats asserted).
 */
class JsonSchemaCorpusTest {

    static final int SCHEMAS = 300;
    static final ObjectMapper JSON = new ObjectMapper();

    private static TokenBytes vocabulary;
    private static TokenTrie trie;

    @BeforeAll
    static void vocabulary() throws Exception {
        vocabulary = LargeVocabularyTest.gpt2Head(8000);
        trie = new TokenTrie(vocabulary);
    }

    @Test
    void everyGeneratedDocumentValidatesAgainstItsSchema() throws Exception {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        SchemaCorpus corpus = new SchemaCorpus(2026);
        Random random = new Random(11);
        int documents = 0;
        for (int n = 0; n < SCHEMAS; n++) {
            documents += walkAndValidate(corpus.next(), n % 2 == 0 ? JsonSchemaCompiler.Whitespace.PYTHON
                    : JsonSchemaCompiler.Whitespace.COMPACT, registry, random, "schema " + n);
        }
        assertThat(documents).isEqualTo(SCHEMAS * 3);
    }

    @Test
    void anAllOfOfObjectsIsOneObjectWithEveryPartsProperties() throws Exception {
        // a base object extended by allOf (its usual use), a closed part that leaves a name out, and a name
        // two parts list with different schemas (both hold)
        Map<String, Object> schema = JSON.readValue("""
            {"$defs": {"base": {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1},
               "name": {"type": "string", "maxLength": 8}, "note": {"type": "string"}}, "required": ["id"]}},
             "allOf": [{"$ref": "#/$defs/base"},
               {"properties": {"tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2},
                 "id": {"maximum": 9}}, "required": ["tags", "name"]},
               {"properties": {"id": {}, "name": {}, "tags": {}}, "additionalProperties": false}]}""", Map.class);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Random random = new Random(5);
        int documents = 0;
        for (JsonSchemaCompiler.Whitespace whitespace : JsonSchemaCompiler.Whitespace.values()) {
            documents += walkAndValidate(schema, whitespace, registry, random, "allOf");
        }
        assertThat(documents).isEqualTo(6);
        // "note" is closed out by the third part; a required name a closed part leaves out is refused there
        Map<String, Object> closedOut = JSON.readValue("""
            {"allOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]},
              {"properties": {"b": {"type": "string"}}, "additionalProperties": false}]}""", Map.class);
        assertError(closedOut, "/allOf/1/additionalProperties", "required property 'a' is ruled out");
    }

    @Test
    void uniqueItemsOfAnEnumAreWrittenOnceEachInTheirOrder() throws Exception {
        Map<String, Object> schema = JSON.readValue("""
            {"type": "object", "properties": {
              "tags": {"type": "array", "items": {"enum": ["red", "green", "blue", 1, 1.0]}, "uniqueItems": true,
                "minItems": 1, "maxItems": 3},
              "one": {"type": "array", "items": {"type": "string", "maxLength": 4}, "uniqueItems": true,
                "maxItems": 1}},
             "required": ["tags", "one"]}""", Map.class);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Random random = new Random(9);
        for (JsonSchemaCompiler.Whitespace whitespace : JsonSchemaCompiler.Whitespace.values()) {
            assertThat(walkAndValidate(schema, whitespace, registry, random, "uniqueItems")).isEqualTo(3);
        }
        // the texts are exactly the ordered selections: [1, 1.0] is one value, "green" never before "red"
        Grammar grammar = JsonSchemaCompiler.compileGrammar(schema, JsonSchemaCompiler.Whitespace.COMPACT);
        assertThat(grammar.top().run("{\"tags\":[\"red\",\"blue\"],\"one\":[]}")).isTrue();
        assertThat(grammar.top().run("{\"tags\":[\"blue\",\"red\"],\"one\":[]}")).isFalse();
        assertThat(grammar.top().run("{\"tags\":[1,1.0],\"one\":[]}")).isFalse();
        assertThat(grammar.top().run("{\"tags\":[\"red\",\"red\"],\"one\":[]}")).isFalse();
        assertThat(grammar.top().run("{\"tags\":[\"red\",\"green\",1],\"one\":[\"ab\"]}")).isTrue();
        assertThat(grammar.top().run("{\"tags\":[\"red\",\"green\",\"blue\",1],\"one\":[]}")).isFalse();
    }

    /**
     * Three seeded random walks through {@code schema}'s masks on the GPT-2 head: each ends in a document
     * that validates against the schema (networknt, formats asserted); returns how many did.
     */
    private static int walkAndValidate(Map<String, Object> schema, JsonSchemaCompiler.Whitespace whitespace,
            SchemaRegistry registry, Random random, String label) throws Exception {
        String text = JSON.writeValueAsString(schema);
        Grammar grammar = JsonSchemaCompiler.compileGrammar(schema, whitespace);
        assertThat(grammar.isEmpty()).as("%s has documents: %s", label, text).isFalse();
        dev.sextant.spi.constraint.Constraint constraint = grammar.constraint(vocabulary, trie);
        Schema validator = registry.getSchema(text);
        long[] allowed = new long[(vocabulary.size() + 63) / 64];
        int documents = 0;
        for (int walk = 0; walk < 3; walk++) {
            ConstraintState state = constraint.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean ended = false;
            for (int step = 0; step < 2000 && !ended; step++) {
                state.allowed(allowed);
                allowed[8000 >>> 6] &= ~(1L << 8000); // the end is chosen below, not drawn
                int count = 0;
                for (long word : allowed) {
                    count += Long.bitCount(word);
                }
                if (state.complete() && (count == 0 || random.nextInt(3) == 0)) {
                    ended = state.advance(8000);
                    continue;
                }
                assertThat(count).as("%s: the mask emptied after %s", label, out).isPositive();
                int token = nthSetBit(allowed, random.nextInt(count));
                assertThat(state.advance(token)).isTrue();
                out.write(vocabulary.bytes(token));
            }
            String document = out.toString(StandardCharsets.UTF_8);
            assertThat(ended).as("%s: the walk ended with a complete document: %s", label, document).isTrue();
            List<Error> errors = validator.validate(JSON.readTree(document),
                    context -> context.setExecutionConfig(ExecutionConfig.builder().formatAssertionsEnabled(true)
                            .build()));
            assertThat(errors).as("%s %s\ndocument %s", label, text, document).isEmpty();
            documents++;
        }
        return documents;
    }

    @Test
    void unsupportedKeywordsAreErrorsThatNameTheirPointer() {
        assertError(Map.of("type", "object", "properties", Map.of("a", Map.of("type", "string", "contains", 1))),
                "/properties/a/contains", "'contains' is not supported");
        // both options accept [] (no options shown disjoint); against a string they part at the first character
        assertError(Map.of("$defs", Map.of("n", Map.of("type", "array", "items", Map.of("$ref", "#/$defs/n"),
                "maxItems", 2)), "oneOf", List.of(Map.of("$ref", "#/$defs/n"), Map.of("type", "array", "items",
                Map.of("type", "integer")))), "/oneOf", "recursive reference");
        assertThatCode(() -> JsonSchemaCompiler.compileGrammar(Map.of("$defs", Map.of("n", Map.of("type", "array",
                "items", Map.of("$ref", "#/$defs/n"), "maxItems", 2)), "oneOf", List.of(Map.of("$ref", "#/$defs/n"),
                Map.of("type", "string"))), JsonSchemaCompiler.Whitespace.COMPACT)).doesNotThrowAnyException();
        assertError(Map.of("type", "object", "properties", Map.of("a", Map.of("type", "array")), "allOf",
                List.of(Map.of("properties", Map.of("a", Map.of("type", "array", "items", Map.of("type", "string")))))),
                "/properties/a", "any value");
        assertError(Map.of("type", "string", "format", "ipv6"), "/format", "format 'ipv6'");
        assertError(Map.of("type", "string", "pattern", "(a)\\1"), "/pattern", "back-references");
        assertError(Map.of("type", "array", "uniqueItems", true), "/uniqueItems", "enum or const only");
        assertError(Map.of("type", "array", "items", Map.of("enum", List.of(1, 2)), "uniqueItems", true, "minItems", 3),
                "/minItems", "no array of unique items fits");
        assertError(Map.of("type", "object", "required", List.of("x")), "/required", "'x'");
    }

    @Test
    void enumsConstsAndStringsAreWrittenOnceAndExactly() throws Exception {
        Automaton a = JsonSchemaCompiler.compile(Map.of("enum", List.of("a \"b\"", 3, Map.of("k", List.of(1, 2)))),
                JsonSchemaCompiler.Whitespace.PYTHON);
        assertThat(a.run("\"a \\\"b\\\"\"")).isTrue();
        assertThat(a.run("3")).isTrue();
        assertThat(a.run("{\"k\": [1, 2]}")).isTrue();
        assertThat(a.run("{\"k\":[1,2]}")).isFalse();
        Automaton s = JsonSchemaCompiler.compile(Map.of("type", "string", "maxLength", 2),
                JsonSchemaCompiler.Whitespace.COMPACT);
        assertThat(s.run("\"\\n\\\"\"")).as("two characters, both escaped").isTrue();
        assertThat(s.run("\"東京\"")).isTrue();
        assertThat(s.run("\"abc\"")).isFalse();
        Automaton n = JsonSchemaCompiler.compile(Map.of("type", "integer", "minimum", -12, "exclusiveMaximum", 105),
                JsonSchemaCompiler.Whitespace.COMPACT);
        for (int v = -20; v <= 120; v++) {
            assertThat(n.run(Integer.toString(v))).as("%d", v).isEqualTo(v >= -12 && v < 105);
        }
        assertThat(n.run("007")).isFalse();
        assertThat(n.run("-0")).isFalse();
        // a listed property that a patternProperties pattern matches satisfies that schema too
        Automaton patterned = JsonSchemaCompiler.compile(Map.of("type", "object", "properties", Map.of("a1",
                Map.of("type", "string", "maxLength", 5), "b1", Map.of("type", "string", "maxLength", 5)),
                "required", List.of("a1", "b1"), "patternProperties", Map.of("^a", Map.of("maxLength", 2))),
                JsonSchemaCompiler.Whitespace.COMPACT);
        assertThat(patterned.run("{\"a1\":\"xy\",\"b1\":\"xyz\"}")
                || patterned.run("{\"b1\":\"xyz\",\"a1\":\"xy\"}")).isTrue();
        assertThat(patterned.run("{\"a1\":\"xyz\",\"b1\":\"xyz\"}")
                || patterned.run("{\"b1\":\"xyz\",\"a1\":\"xyz\"}")).isFalse();
        // bounds that are not whole: what is written stays inside them
        Automaton real = JsonSchemaCompiler.compile(Map.of("type", "number", "exclusiveMinimum", -2.5, "maximum", 3.7),
                JsonSchemaCompiler.Whitespace.COMPACT);
        for (String v : List.of("-2", "-1.99", "-0.5", "0", "2.999", "3")) {
            assertThat(real.run(v)).as(v).isTrue();
        }
        for (String v : List.of("-2.5", "-3", "3.5", "4", "3.1")) {
            assertThat(real.run(v)).as(v).isFalse();
        }
        Automaton whole = JsonSchemaCompiler.compile(Map.of("type", "integer", "minimum", 0.5, "exclusiveMaximum", 5),
                JsonSchemaCompiler.Whitespace.COMPACT);
        assertThat(whole.run("0")).isFalse();
        assertThat(whole.run("1")).isTrue();
        assertThat(whole.run("4")).isTrue();
        assertThat(whole.run("5")).isFalse();
    }

    /** The index of the {@code n}th set bit (from 0). */
    static int nthSetBit(long[] bits, int n) {
        for (int w = 0; w < bits.length; w++) {
            int c = Long.bitCount(bits[w]);
            if (n < c) {
                long word = bits[w];
                for (int k = 0; k < n; k++) {
                    word &= word - 1;
                }
                return w * 64 + Long.numberOfTrailingZeros(word);
            }
            n -= c;
        }
        throw new IllegalArgumentException("fewer set bits than " + n);
    }

    private static void assertError(Map<String, Object> schema, String pointer, String message) {
        try {
            JsonSchemaCompiler.compileGrammar(schema, JsonSchemaCompiler.Whitespace.PYTHON);
            throw new AssertionError("compiled: " + schema);
        } catch (SchemaException e) {
            assertThat(e.pointer()).as("%s", schema).endsWith(pointer);
            assertThat(e.getMessage()).as("%s", schema).contains(message);
        }
    }
}
