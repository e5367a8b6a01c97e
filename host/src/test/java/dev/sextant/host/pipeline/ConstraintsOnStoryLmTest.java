package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The constraints plugin's {@code regex} processor on the committed story-lm (its real tokenizer.json,
 * through the real plugins): with every decoder, the output matches the pattern in full.
 */
class ConstraintsOnStoryLmTest {

    /**
     * A JSON record of the world's shape (story-lm writes such records after " json :"). The strings are
     * bounded, so that sampling too must close the record within max-new-tokens.
     */
    static final String RECORD = "\\{\"name\": \"[a-z]{1,12}\", \"(city|colour|job|pet)\": \"[a-z ]{1,20}\"\\}";
    static final String JSON_PROMPT = "sathja loves the colour red . the age of sathja is 46 . sathja lives in the"
            + " city of nairobi . write the record of sathja as json with keys name , city . json :";

    @TempDir
    static Path dir;

    private static SextantEngine engine;
    private static PipelineSet set;

    @BeforeAll
    static void load() throws Exception {
        Path file = dir.resolve("constraints.yaml");
        Files.writeString(file, """
                components:
                  story-lm: {type: onnx-causal-lm, path: "%s"}
                  story-lm-draft: {type: onnx-causal-lm, path: "%s"}
                  greedy: {type: greedy}
                  sampler: {type: sample, temperature: 1.0, seed: 3}
                  beams: {type: beam, num-beams: 3}
                  lookup: {type: prompt-lookup}
                  speculative: {type: speculative, draft: story-lm-draft, target: story-lm}
                  record: {type: regex, pattern: '%s'}
                  yes-no: {type: regex, pattern: " (yes|no)"}
                  person:
                    type: json-schema
                    schema:
                      type: object
                      properties:
                        name: {type: string, maxLength: 12}
                        city: {enum: [oslo, paris, nairobi, lima]}
                        age: {type: integer, minimum: 0, maximum: 120}
                      required: [name, city]
                  person-file: {type: json-schema, schema-file: person.json, whitespace: compact}
                pipelines:
                  yes-no:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, processors: [yes-no], max-new-tokens: 8}
                  city:
                    steps:
                      - generate:
                          model: story-lm
                          decoder: greedy
                          max-new-tokens: 8
                          constraint: {regex: " (paris|lima)"}
                  record:
                    steps:
                      - generate:
                          model: story-lm
                          decoder: greedy
                          max-new-tokens: 64
                          constraint:
                            json-schema: {type: object, properties: {name: {type: string, maxLength: 10}}, required: [name]}
                            whitespace: compact
                  tree:
                    steps:
                      - generate:
                          model: story-lm
                          decoder: greedy
                          max-new-tokens: 96
                          constraint:
                            json-schema:
                              $defs:
                                node:
                                  type: object
                                  properties:
                                    name: {type: string, maxLength: 10}
                                    friends: {type: array, items: {$ref: "#/$defs/node"}, maxItems: 2}
                                  required: [name]
                              $ref: "#/$defs/node"
                  place:
                    steps:
                      - generate:
                          model: story-lm
                          decoder: greedy
                          max-new-tokens: 24
                          constraint:
                            grammar: |
                              start: " " place
                              place: CITY | "(" place " or " place ")"
                              CITY: "oslo" | "paris" | "lima" | "nairobi"
                  place-file:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, max-new-tokens: 24, constraint: {grammar: places.lark}}
                  place-sampled:
                    steps:
                      - generate:
                          model: story-lm
                          decoder: sampler
                          max-new-tokens: 24
                          constraint: {grammar: places.lark, sampling: aligned}
                """.formatted(TestHome.storyModel(), TestHome.ROOT.resolve("models/story-lm-draft"), RECORD));
        Files.writeString(dir.resolve("person.json"), """
                {"type": "object", "properties": {"name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 12},
                 "colour": {"type": "string", "maxLength": 10}}, "required": ["name", "colour"]}
                """);
        Files.writeString(dir.resolve("places.lark"), """
                // a place, or a choice between two places, nested
                start: " " place
                place: CITY | "(" place " or " place ")"
                CITY: "oslo" | "paris" | "lima" | "nairobi"
                """);
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
        set = engine.load(file);
        assertThat(set.componentFailures()).isEmpty();
    }

    @AfterAll
    static void close() {
        if (set != null) {
            set.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static String generate(String decoder, String processor, String prompt, int maxNewTokens)
            throws Exception {
        var decoded = ((dev.sextant.spi.decode.Decoder) set.component(decoder)).generate(
                (dev.sextant.spi.model.LanguageModel) set.component("story-lm"),
                new dev.sextant.spi.decode.GenerationRequest(List.of(prompt), maxNewTokens, List.of(),
                        List.of((dev.sextant.spi.decode.LogitsProcessor) set.component(processor)), null,
                        RunLimits.DEFAULT), TokenListener.NONE);
        return decoded.sequences().get(0).text();
    }

    @Test
    void everyDecoderWritesARecordThatMatchesThePatternInFull() throws Exception {
        Pattern record = Pattern.compile(RECORD);
        for (String decoder : List.of("greedy", "sampler", "beams", "lookup", "speculative")) {
            String out = generate(decoder, "record", JSON_PROMPT, 96).strip();
            assertThat(record.matcher(out).matches()).as("%s wrote %s", decoder, out).isTrue();
        }
    }

    @Test
    void jsonSchemasInlineAndFromAFileGiveDocumentsOfTheirSchema() throws Exception {
        for (String decoder : List.of("greedy", "sampler", "beams")) {
            String inline = generate(decoder, "person", JSON_PROMPT, 96);
            assertThat(inline).as(decoder).matches("\\{\"name\": \"[^\"]{0,12}\", \"city\": \"(oslo|paris|nairobi|lima)\""
                    + "(, \"age\": (0|[1-9][0-9]?|1[01][0-9]|120))?\\}");
            String file = generate(decoder, "person-file", JSON_PROMPT, 96);
            assertThat(file).as(decoder).matches("\\{\"name\":\"[a-z]{1,12}\",\"colour\":\"[^\"]{0,10}\"\\}");
        }
    }

    @Test
    void recursiveSchemasAndGrammarsCompleteWithinMaxTokens() throws Exception {
        String tree = output(set, "tree", JSON_PROMPT);
        var node = dev.sextant.host.cli.Views.mapper().readTree(tree);
        assertThat(node.get("name").isString()).as(tree).isTrue();
        assertThat(node.size()).as(tree).isBetween(1, 2);
        String question = "context : mia lives in paris . question : where does mia live ? answer :";
        assertThat(output(set, "place", question)).isEqualTo(" paris");
        assertThat(output(set, "place-file", question)).isEqualTo(" paris");
        assertThat(set.component("place/1/constraint")).hasToString("grammar");
        for (int i = 0; i < 6; i++) {
            String sampled = output(set, "place-sampled", question);
            assertThat(place(sampled.substring(1), 0)).as(sampled).isEqualTo(sampled.length() - 1);
        }
    }

    /** Where a place written from {@code at} ends, or -1 (the grammar of the place pipelines, by hand). */
    private static int place(String s, int at) {
        for (String city : List.of("oslo", "paris", "lima", "nairobi")) {
            if (s.startsWith(city, at)) {
                return at + city.length();
            }
        }
        if (!s.startsWith("(", at)) {
            return -1;
        }
        int a = place(s, at + 1);
        if (a < 0 || !s.startsWith(" or ", a)) {
            return -1;
        }
        int b = place(s, a + 4);
        return b >= 0 && s.startsWith(")", b) ? b + 1 : -1;
    }

    @Test
    void aSchemaKeywordThatIsNotSupportedFailsTheComponentWithItsPointer() throws Exception {
        Path file = storyFile("bad-schema.yaml", """
                  bad:
                    type: json-schema
                    schema: {type: object, properties: {tags: {type: array, items: {type: string}, uniqueItems: true}}}
                """, """
                  p:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, processors: [bad]}
                """);
        try (PipelineSet bad = engine.load(file)) {
            assertThat(bad.componentFailures().get("bad")).contains("/properties/tags/uniqueItems")
                    .contains("uniqueItems: true is supported for items of an enum or const only");
        }
    }

    @Test
    void aGenerateStepsConstraintIsAProcessorOfItsOwn() throws Exception {
        String city = (String) set.run("city", "context : mia lives in oslo . question : where does mia live ?"
                + " answer :", TokenListener.NONE, RunLimits.DEFAULT).slots().get(RunContext.OUTPUT);
        assertThat(city).matches(" (paris|lima)");
        String record = (String) set.run("record", JSON_PROMPT, TokenListener.NONE, RunLimits.DEFAULT).slots()
                .get(RunContext.OUTPUT);
        assertThat(record).matches("\\{\"name\":\"[^\"]{0,10}\"\\}");
        assertThat(set.component("city/1/constraint")).hasToString("regex( (paris|lima))");
    }

    @Test
    void aConstraintOfAnUnknownKindOrAWrongShapeIsAProblemOfTheFile() throws Exception {
        Path file = storyFile("bad-constraint.yaml", "", """
                  a:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, constraint: {lark: "start: x"}}
                  b:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, constraint: "(yes|no)"}
                  c:
                    steps:
                      - generate: {model: story-lm, decoder: greedy, constraint: {regex: "(a"}}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.load(file))
                .hasMessageContaining("bad-constraint.yaml:7:")
                .hasMessageContaining("unknown kind 'lark'")
                .hasMessageContaining("bad-constraint.yaml:10:")
                .hasMessageContaining("constraint must be a mapping");
        // a pattern that does not compile fails its component, located at the pattern
        Path third = dir.resolve("bad-pattern.yaml");
        Files.writeString(third, Files.readString(file).replaceAll("(?s)  a:.*?  c:", "  c:"));
        try (PipelineSet bad = engine.load(third)) {
            assertThat(bad.componentFailures().get("c/1/constraint")).contains("unterminated group")
                    .contains("bad-pattern.yaml:7:");
        }
    }

    @Test
    void theConstraintsExampleFileLoadsAndEachPipelineKeepsItsPromise() throws Exception {
        try (PipelineSet example = engine.load(TestHome.ROOT.resolve("examples/pipelines/constraints.yaml"))) {
            assertThat(example.componentFailures()).isEmpty();
            assertThat(example.pipelineFailures()).isEmpty();
            String prompt = JSON_PROMPT.replace("keys name , city", "keys name , city , age");
            assertThat(output(example, "person", prompt))
                    .isEqualTo("{\"name\": \"sathja\", \"city\": \"nairobi\", \"age\": 46}");
            assertThat(output(example, "person-sampled", prompt))
                    .matches("\\{\"name\":\"[a-z]{1,16}\",\"city\":\"[^\"]{0,20}\"(,\"age\":\\d{1,3})?\\}");
            assertThat(output(example, "city", "context : mia lives in paris . question : where does mia live ?"
                    + " answer :")).isEqualTo(" paris");
            assertThat(output(example, "yes-no", "context : mia lives in oslo . question : does mia live in oslo ?"
                    + " answer :")).matches(" (yes|no)");
            assertThat(output(example, "place", "context : mia lives in lima . question : where does mia live ?"
                    + " answer :")).isEqualTo(" lima");
            String family = output(example, "family", prompt);
            assertThat(family).startsWith("{\"name\": \"sathja\"");
            assertThat(dev.sextant.host.cli.Views.mapper().readTree(family).get("name").asString()).isEqualTo("sathja");
        }
    }

    private static String output(PipelineSet set, String pipeline, String input) throws Exception {
        return (String) set.run(pipeline, input, TokenListener.NONE, RunLimits.DEFAULT).slots().get(RunContext.OUTPUT);
    }

    /** A pipeline file in the test folder: story-lm and greedy, then these components and pipelines. */
    private static Path storyFile(String name, String components, String pipelines) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "components:\n  story-lm: {type: onnx-causal-lm, path: \"" + TestHome.storyModel()
                + "\"}\n  greedy: {type: greedy}\n" + components + "pipelines:\n" + pipelines);
        return file;
    }

    @Test
    void aPatternTheModelWouldNotFollowStillBindsIt() throws Exception {
        PipelineResult result = set.run("yes-no", "context : mia lives in oslo . question : where does mia live ?"
                + " answer :", TokenListener.NONE, RunLimits.DEFAULT);

        assertThat((String) result.slots().get(RunContext.OUTPUT)).matches(" (yes|no)");
    }
}
