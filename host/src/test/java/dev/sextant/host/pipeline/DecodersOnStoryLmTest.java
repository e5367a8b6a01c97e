package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.LanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoders plugin's beam, prompt-lookup and speculative decoders on the committed story-lm, loaded
 * through the real plugins: where each promises greedy's output, it gives it exactly.
 */
class DecodersOnStoryLmTest {

    static final List<String> STORIES = List.of("mia lives in oslo . mia has a", "once upon a time , tom",
            "context : mia lives in oslo . tom has a red ball . question : where does mia live ? answer :",
            "the dog of kiamcha is", "tom bought a large white scarf . tom");

    @TempDir
    static Path dir;

    private static SextantEngine engine;
    private static PipelineSet set;
    private static LanguageModel model;

    @BeforeAll
    static void load() throws Exception {
        Path draft = TestHome.ROOT.resolve("models/story-lm-draft");
        boolean withDraft = Files.exists(draft.resolve("model.onnx")) && Files.exists(draft.resolve("config.json"));
        Path file = dir.resolve("decoders.yaml");
        Files.writeString(file, """
                components:
                  story-lm: {type: onnx-causal-lm, path: "%s"}
                  greedy: {type: greedy}
                  one-beam: {type: beam, num-beams: 1}
                  beams: {type: beam, num-beams: 4, num-return-sequences: 3}
                  lookup: {type: prompt-lookup}
                  lookup-plain: {type: prompt-lookup, realign: false}
                  self-draft: {type: speculative, draft: story-lm, target: story-lm}
                %s
                pipelines:
                  beam-story:
                    steps:
                      - generate: {model: story-lm, decoder: beams, max-new-tokens: 8}
                """.formatted(TestHome.storyModel(), withDraft ? """
                  story-lm-draft: {type: onnx-causal-lm, path: "%s"}
                  small-draft: {type: speculative, draft: story-lm-draft, target: story-lm}
                """.formatted(draft) : ""));
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
        set = engine.load(file);
        // story-lm-draft is made by the forge and may be missing or in the making: only its own test depends on it
        assertThat(set.componentFailures()).doesNotContainKeys("story-lm", "greedy", "one-beam", "beams", "lookup",
                "lookup-plain", "self-draft");
        model = (LanguageModel) set.component("story-lm");
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

    private static Generation generate(String decoder, List<String> prompts, int maxNewTokens) throws Exception {
        return ((Decoder) set.component(decoder)).generate(model, new GenerationRequest(prompts, maxNewTokens,
                List.of("\n"), List.of(), null, RunLimits.DEFAULT), TokenListener.NONE);
    }

    private static void assertSame(Generation actual, Generation expected) {
        for (int p = 0; p < expected.sequences().size(); p++) {
            GeneratedSequence a = actual.sequences().get(p);
            GeneratedSequence e = expected.sequences().get(p);
            assertThat(a.text()).as("prompt %d", p).isEqualTo(e.text());
            assertThat(a.tokenIds()).as("prompt %d", p).containsExactly(e.tokenIds());
            assertThat(a.finishReason()).isEqualTo(e.finishReason());
        }
    }

    private static List<String> copyEditPrompts(int count) throws Exception {
        return Files.readAllLines(TestHome.ROOT.resolve("models/eval/copyedit.jsonl")).stream().limit(count)
                .map(DecodersOnStoryLmTest::prompt).toList();
    }

    /** The "prompt" field of a JSON line (the evaluation files write plain strings without escapes). */
    private static String prompt(String jsonLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"prompt\": \"([^\"\\\\]*)\"").matcher(jsonLine);
        if (!m.find()) {
            throw new IllegalArgumentException("no plain prompt field in " + jsonLine);
        }
        return m.group(1);
    }

    @Test
    void aPipelineRunsBeamSearch() throws Exception {
        PipelineResult result = set.run("beam-story", STORIES.get(0), TokenListener.NONE, RunLimits.DEFAULT);

        assertThat((String) result.slots().get(RunContext.OUTPUT)).isNotBlank();
    }

    @Test
    void oneBeamIsGreedy() throws Exception {
        assertSame(generate("one-beam", STORIES, 32), generate("greedy", STORIES, 32));
    }

    @Test
    void fourBeamsReturnThreeRankedDistinctSequences() throws Exception {
        Generation beams = generate("beams", STORIES.subList(0, 2), 16);

        for (List<GeneratedSequence> ranked : beams.candidates()) {
            assertThat(ranked).hasSize(3);
            assertThat(ranked).extracting(s -> List.of(s.tokenIds())).doesNotHaveDuplicates();
            assertThat(ranked).extracting(GeneratedSequence::score)
                    .isSortedAccordingTo((x, y) -> Double.compare(y, x));
        }
    }

    @Test
    void promptLookupIsGreedyOnCopyEditsAndStoriesInFewerModelCalls() throws Exception {
        List<String> prompts = copyEditPrompts(24);
        prompts = java.util.stream.Stream.concat(prompts.stream(), STORIES.stream()).toList();
        Generation greedy = generate("greedy", prompts, 48);
        Generation lookup = generate("lookup", prompts, 48);
        Generation plain = generate("lookup-plain", prompts, 48);

        assertSame(lookup, greedy);
        assertSame(plain, greedy);
        // story-lm copy-edits (its card: exact match 0.60), so most of its outputs repeat the prompt: over
        // two tokens per call with the stories, which repeat little (3.5 on the whole copy-edit set, in
        // bench/run.sh speculative); re-aligning after each corrected word saves calls on top
        Map<String, Double> metrics = lookup.metrics();
        assertThat(metrics.get("tokens_per_call")).isGreaterThan(2.0);
        assertThat(metrics.get("model_calls")).isLessThan(plain.metrics().get("model_calls"));
    }

    @Test
    void theDecodingExampleFileLoadsAndItsLosslessDecodersGiveGreedysText() throws Exception {
        try (PipelineSet example = engine.load(TestHome.ROOT.resolve("examples/pipelines/decoding.yaml"))) {
            assertThat(example.componentFailures()).isEmpty();
            String prompt = copyEditPrompts(1).get(0);
            String greedy = (String) example.run("greedy", prompt, TokenListener.NONE, RunLimits.DEFAULT).slots()
                    .get(RunContext.OUTPUT);
            for (String pipeline : List.of("prompt-lookup", "speculative")) {
                assertThat((String) example.run(pipeline, prompt, TokenListener.NONE, RunLimits.DEFAULT).slots()
                        .get(RunContext.OUTPUT)).as(pipeline).isEqualTo(greedy);
            }
        }
    }

    @Test
    void speculativeWithItselfAsDraftIsGreedyAndAcceptsEverything() throws Exception {
        Generation greedy = generate("greedy", STORIES, 32);
        Generation speculative = generate("self-draft", STORIES, 32);

        assertSame(speculative, greedy);
        assertThat(speculative.metrics().get("acceptance_rate")).isEqualTo(1.0);
    }

    @Test
    void speculativeWithTheSmallDraftIsGreedy() throws Exception {
        assertThat(set.component("small-draft")).as("models/story-lm-draft: %s", set.componentFailures()).isNotNull();
        List<String> prompts = java.util.stream.Stream.concat(STORIES.stream(), copyEditPrompts(8).stream()).toList();

        assertSame(generate("small-draft", prompts, 32), generate("greedy", prompts, 32));
    }
}
