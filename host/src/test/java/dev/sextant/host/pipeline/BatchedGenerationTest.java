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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/**
 * Several prompts decoded together (left-padded in one decoding state) give each prompt what it gets
 * alone, with the real story-lm: greedy token for token, seeded sampling too (each row has its own
 * random stream), and log-probabilities do not change the choices.
 */
class BatchedGenerationTest {

    @TempDir
    static Path dir;

    private static SextantEngine engine;
    private static PipelineSet set;
    private static LanguageModel model;
    private static List<String> prompts;

    @BeforeAll
    static void load() throws Exception {
        Path file = dir.resolve("batch.yaml");
        Files.writeString(file, """
                components:
                  story-lm: {type: onnx-causal-lm, path: "%s"}
                  greedy: {type: greedy}
                  sample: {type: sample, temperature: 0.9, top-k: 20}
                pipelines:
                  story:
                    steps:
                      - generate: {model: story-lm, decoder: greedy}
                """.formatted(TestHome.ROOT.resolve("models/story-lm").toString().replace('\\', '/')));
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
        set = engine.load(file);
        model = (LanguageModel) set.component("story-lm");
        ObjectMapper json = new ObjectMapper();
        prompts = new ArrayList<>();
        for (String set : List.of("facts", "copyedit", "json")) {
            List<String> lines = Files.readAllLines(TestHome.ROOT.resolve("models/eval/" + set + ".jsonl"));
            for (String line : lines.subList(0, 3)) {
                prompts.add(json.readTree(line).get("prompt").asString());
            }
        }
        prompts.add("mia");
    }

    @AfterAll
    static void close() {
        set.close();
        engine.close();
    }

    private static Generation generate(String decoder, List<String> batch, boolean logProbs) throws Exception {
        return ((Decoder) set.component(decoder)).generate(model, new GenerationRequest(batch, 24, List.of("\n"),
                List.of(), 7L, RunLimits.DEFAULT, logProbs), TokenListener.NONE);
    }

    @Test
    void aBatchOfPromptsOfManyLengthsEqualsEachPromptAlone() throws Exception {
        assertThat(prompts.stream().mapToInt(p -> model.tokenizer().encode(p, false).size()).distinct().count())
                .isGreaterThan(4);
        for (String decoder : List.of("greedy", "sample")) {
            Generation together = generate(decoder, prompts, false);
            for (int i = 0; i < prompts.size(); i++) {
                GeneratedSequence alone = generate(decoder, List.of(prompts.get(i)), false).sequences().get(0);
                GeneratedSequence batched = together.sequences().get(i);
                assertThat(batched.tokenIds()).as("%s, prompt %d", decoder, i).containsExactly(alone.tokenIds());
                assertThat(batched.text()).isEqualTo(alone.text());
                assertThat(batched.finishReason()).isEqualTo(alone.finishReason());
            }
        }
    }

    @Test
    void logProbabilitiesAreOnlyComputedWhenAskedAndChangeNoChoice() throws Exception {
        Generation without = generate("greedy", prompts, false);
        Generation with = generate("greedy", prompts, true);
        for (int i = 0; i < prompts.size(); i++) {
            GeneratedSequence a = without.sequences().get(i);
            GeneratedSequence b = with.sequences().get(i);
            assertThat(a.tokenIds()).containsExactly(b.tokenIds());
            assertThat(a.tokenLogProbs()).isEmpty();
            assertThat(b.tokenLogProbs()).hasSize(b.tokenIds().length);
            for (float lp : b.tokenLogProbs()) {
                assertThat(lp).isLessThanOrEqualTo(0f).isGreaterThan(Float.NEGATIVE_INFINITY);
            }
        }
    }
}
