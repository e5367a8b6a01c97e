package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import dev.sextant.spi.testing.TestContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schemas that need the grammar engine (recursive references, places that allow any value) and the
 * object keywords that count properties: random walks through the token masks on GPT-2's 8000 most
 * frequent tokens; every document validates with an independent validator (networknt).
 */
class RecursiveSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SCHEMAS = List.of(
            // a tree through an array
            """
            {"$defs": {"node": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 8},
              "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 3}},
              "required": ["name"]}}, "$ref": "#/$defs/node"}""",
            // a linked list through a property, nullable
            """
            {"type": "object", "properties": {"value": {"type": "integer", "minimum": 0, "maximum": 99},
              "next": {"anyOf": [{"$ref": "#"}, {"type": "null"}]}}, "required": ["value", "next"]}""",
            // an expression tree: two recursive alternatives
            """
            {"$defs": {"expr": {"anyOf": [{"type": "integer", "minimum": -9, "maximum": 9},
              {"type": "object", "properties": {"op": {"enum": ["+", "*"]}, "args": {"type": "array",
              "items": {"$ref": "#/$defs/expr"}, "minItems": 2, "maxItems": 2}}, "required": ["op", "args"]}]}},
             "$ref": "#/$defs/expr"}""",
            // draft 7: definitions, two rules that call each other
            """
            {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {
              "dir": {"type": "object", "properties": {"dir": {"type": "string", "pattern": "^[a-z]{1,6}$"},
                "entries": {"type": "array", "items": {"$ref": "#/definitions/entry"}, "maxItems": 2}},
                "required": ["dir", "entries"]},
              "entry": {"anyOf": [{"$ref": "#/definitions/dir"}, {"type": "object", "properties": {"file":
                {"type": "string", "format": "uuid"}}, "required": ["file"]}]}},
             "$ref": "#/definitions/dir"}""",
            // any value where the schema says nothing, next to typed properties
            """
            {"type": "object", "properties": {"id": {"type": "integer"}, "payload": {}, "meta": true,
              "tags": {"type": "array", "maxItems": 2}}, "required": ["id", "payload"]}""",
            // counted properties
            """
            {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"},
              "c": {"type": "null"}, "dd": {"type": "string", "maxLength": 3}}, "minProperties": 2,
              "maxProperties": 3, "propertyNames": {"maxLength": 1}}""");

    private static TokenBytes vocabulary;
    private static TokenTrie trie;

    @BeforeAll
    static void vocabulary() throws Exception {
        vocabulary = LargeVocabularyTest.gpt2Head(8000);
        trie = new TokenTrie(vocabulary);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSchemaNoDocumentSatisfiesIsRefusedWithItsReason() throws Exception {
        JsonSchemaProcessorFactory factory = new JsonSchemaProcessorFactory();
        TestContext context = new TestContext("empty", java.nio.file.Path.of("."));
        // a regular one (no string is both), and a recursive one (a node must hold a node, without end)
        for (String text : List.of("{\"allOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
                "{\"$defs\": {\"n\": {\"type\": \"object\", \"properties\": {\"c\": {\"$ref\": \"#/$defs/n\"}},"
                        + " \"required\": [\"c\"]}}, \"$ref\": \"#/$defs/n\"}")) {
            Map<String, Object> schema = new ObjectMapper().readValue(text, Map.class);
            assertThatThrownBy(() -> factory.create(new JsonSchemaConfig(schema, null, "compact", "masked"), context))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("no JSON document satisfies this schema");
        }
        // and one that some document satisfies is made
        Map<String, Object> fine = new ObjectMapper().readValue("{\"type\": \"string\", \"maxLength\": 2}", Map.class);
        assertThat(factory.create(new JsonSchemaConfig(fine, null, "compact", "masked"), context)).isNotNull();
    }

    @Test
    void everyDocumentOfARecursiveSchemaValidates() throws Exception {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Random random = new Random(5);
        long[] allowed = new long[(vocabulary.size() + 63) / 64];
        for (int n = 0; n < SCHEMAS.size(); n++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = JSON.readValue(SCHEMAS.get(n), Map.class);
            Grammar grammar = JsonSchemaCompiler.compileGrammar(schema, n % 2 == 0
                    ? JsonSchemaCompiler.Whitespace.PYTHON : JsonSchemaCompiler.Whitespace.COMPACT);
            assertThat(grammar.isRegular()).as("schema %d needs rules", n).isEqualTo(n == SCHEMAS.size() - 1);
            var constraint = grammar.constraint(vocabulary, trie);
            Schema validator = registry.getSchema(SCHEMAS.get(n));
            for (int walk = 0; walk < 8; walk++) {
                ConstraintState state = constraint.start();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                boolean ended = false;
                for (int step = 0; step < 3000 && !ended; step++) {
                    state.allowed(allowed);
                    allowed[8000 >>> 6] &= ~(1L << 8000);
                    List<Integer> choices = new ArrayList<>();
                    for (int id = 0; id < 8000; id++) {
                        if ((allowed[id >>> 6] & (1L << id)) != 0) {
                            choices.add(id);
                        }
                    }
                    if (state.complete() && (choices.isEmpty() || random.nextInt(3) == 0)) {
                        ended = state.advance(8000);
                        continue;
                    }
                    assertThat(choices).as("schema %d: the mask emptied after %s", n, out).isNotEmpty();
                    int token = step < 60 ? choices.get(random.nextInt(choices.size())) : closer(state, choices, random);
                    assertThat(state.advance(token)).isTrue();
                    out.write(vocabulary.bytes(token));
                }
                String document = out.toString(StandardCharsets.UTF_8);
                assertThat(ended).as("schema %d: the walk ended with a complete document: %s", n, document).isTrue();
                List<Error> errors = validator.validate(JSON.readTree(document), context -> context.setExecutionConfig(
                        ExecutionConfig.builder().formatAssertionsEnabled(true).build()));
                assertThat(errors).as("schema %d\ndocument %s", n, document).isEmpty();
                assertThat(grammar.matches(document)).isTrue();
            }
        }
    }

    /** Past the first steps, a token among a few drawn that leaves the shallowest stack: the walk winds down. */
    private static int closer(ConstraintState state, List<Integer> choices, Random random) {
        int best = -1;
        int bestDepth = Integer.MAX_VALUE;
        for (int k = 0; k < 24; k++) {
            int token = choices.get(random.nextInt(choices.size()));
            ConstraintState next = state.copy();
            next.advance(token);
            int depth = next.complete() ? -1 : isGrammar(next) ? GrammarConstraint.depth(next) : 0;
            if (depth < bestDepth) {
                best = token;
                bestDepth = depth;
            }
        }
        return best;
    }

    private static boolean isGrammar(ConstraintState state) {
        return state.getClass().getEnclosingClass() == GrammarConstraint.class;
    }
}
