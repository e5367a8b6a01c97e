package dev.sextant.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.host.SextantEngine;
import dev.sextant.host.TestHome;
import dev.sextant.host.cli.Views;
import dev.sextant.host.config.PipelineFileException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code heads} step of the default pipelines, with the real encoder (all-MiniLM-L6-v2 through
 * ONNX Runtime) and the real Tribuo heads trained on the committed ticket and story data.
 */
class HeadsStepTest {

    static final String DOUBLE_CHARGE = "Hi, I was charged twice for my Premium subscription this month (invoice"
            + " INV-20931). Please refund the second payment as soon as possible. Thanks, Dana";

    private static SextantEngine engine;
    private static PipelineSet set;

    @BeforeAll
    static void load() throws Exception {
        engine = SextantEngine.start(TestHome.pluginsDir(), Map.of());
        set = engine.load(TestHome.defaultPipelines());
        assertThat(set.pipelineFailures()).isEmpty();
        PipelineHeads.train(PipelineHeads.all(set), false, Progress.NONE);
    }

    @AfterAll
    static void close() {
        set.close();
        engine.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Prediction> predictions(String pipeline, String text) throws Exception {
        PipelineResult result = set.run(pipeline, text, TokenListener.NONE, RunLimits.DEFAULT);
        return (Map<String, Prediction>) result.slots().get(RunContext.PREDICTIONS);
    }

    @Test
    void theTicketsPipelineGivesEveryHeadsPredictionInOrder() throws Exception {
        Map<String, Prediction> p = predictions("tickets", DOUBLE_CHARGE);

        assertThat(p.keySet()).containsExactly("ticket-topic", "ticket-urgency", "ticket-sentiment", "ticket-tags",
                "ticket-severity");
        Prediction topic = p.get("ticket-topic");
        assertThat(topic.label()).isEqualTo("billing");
        assertThat(topic.scores()).hasSize(6);
        assertThat(topic.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-5));
        assertThat(topic.value()).isEqualTo(topic.scores().get("billing"));
        assertThat(p.get("ticket-urgency").label()).isIn("low", "medium", "high");
        assertThat(p.get("ticket-tags").labels()).contains("payment");
        assertThat(p.get("ticket-severity").label()).isNull();
        assertThat(p.get("ticket-severity").value()).isBetween(0.0, 11.0);
    }

    @Test
    void theResultJsonHoldsThePredictions() throws Exception {
        PipelineResult result = set.run("sentence-labels", "dovrin got wet in the cold rain .", TokenListener.NONE,
                RunLimits.DEFAULT);

        JsonNode json = Views.mapper().readTree(Views.json(result));
        JsonNode topic = json.get("slots").get("predictions").get("story-topic");
        assertThat(topic.get("label").asString()).isEqualTo("weather");
        assertThat(topic.get("scores").get("weather").asDouble()).isGreaterThan(0.5);
        assertThat(json.get("slots").get("predictions").get("story-sentiment").get("label").asString())
                .isEqualTo("negative");
        assertThat(json.get("timings").get(0).get("step").asString()).isEqualTo("heads");
    }

    @Test
    void aBatchOfTextsGivesWhatEachTextGivesAlone() throws Exception {
        List<String> texts = List.of(DOUBLE_CHARGE, "My parcel never arrived, order #55120.",
                "Could you add a dark mode to the dashboard? Would love it!", "dovrin got wet in the cold rain .");

        MultiHeadRunner.Result batch = PipelineHeads.predict(set, "tickets", texts, RunLimits.DEFAULT);

        assertThat(batch.rows()).hasSize(4);
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Prediction> alone = predictions("tickets", texts.get(i));
            for (String head : alone.keySet()) {
                Prediction a = alone.get(head);
                Prediction b = batch.rows().get(i).get(head);
                assertThat(b.labels()).as("%s of text %d", head, i).isEqualTo(a.labels());
                assertThat(b.value()).as("%s of text %d", head, i).isCloseTo(a.value(), within(1e-5));
            }
        }
        assertThat(batch.rows().get(1).get("ticket-topic").label()).isEqualTo("shipping");
        assertThat(batch.rows().get(2).get("ticket-topic").label()).isEqualTo("feature-request");
    }

    @Test
    void heldOutMetricsReachTheAimAndOnnxAgreesWithTribuo() throws Exception {
        List<HeadEvaluation> evaluations = PipelineHeads.evaluate(PipelineHeads.of(set, "tickets"), Progress.NONE);

        HeadEvaluation topic = evaluations.get(0);
        assertThat(topic.head()).isEqualTo("ticket-topic");
        assertThat(topic.metrics().get("macro_f1")).isGreaterThanOrEqualTo(0.8);
        assertThat(topic.rows()).isEqualTo(216);
        long total = 0;
        for (long[] row : topic.confusion()) {
            for (long n : row) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(216);
        for (HeadEvaluation e : evaluations) {
            assertThat(e.metrics().get("onnx_max_abs_diff")).as(e.head()).isLessThan(1e-5);
            assertThat(e.metrics()).as(e.head()).doesNotContainKey("onnx_label_disagreements");
        }
        assertThat(evaluations.get(4).task()).isEqualTo(HeadTask.REGRESSION);
        assertThat(evaluations.get(4).metrics()).containsKeys("rmse", "mae", "r2");
    }

    @Test
    void aPipelineWithoutHeadsHasNoHeadsToTrain() {
        assertThatThrownBy(() -> PipelineHeads.of(set, "story")).isInstanceOf(InputException.class)
                .hasMessageContaining("pipeline 'story' has no heads step")
                .hasMessageContaining("pipelines with one: tickets, sentence-labels");
        assertThatThrownBy(() -> PipelineHeads.predict(set, "tickets", List.of("fine", " "), RunLimits.DEFAULT))
                .isInstanceOf(InputException.class).hasMessageContaining("text 1 is empty");
    }

    @Test
    void aHeadsStepMixingEncodersIsRefusedWhenTheFileLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mixed.yaml");
        Files.writeString(file, """
                components:
                  minilm: {type: onnx-encoder}
                  cls: {type: onnx-encoder, pooling: cls}
                  topic:
                    type: tribuo
                    encoder: cls
                    task: classification
                    data: %s
                    label-column: topic
                pipelines:
                  p:
                    steps:
                      - heads: {encoder: minilm, heads: [topic]}
                """.formatted(TestHome.ROOT.resolve("examples/datasets/tickets.csv")));
        try (PipelineSet mixed = engine.load(file)) {
            assertThat(mixed.pipelineFailures().get("p"))
                    .contains("head 'topic' reads the encoder 'cls', not 'minilm'");
        }
    }

    @Test
    void aHeadsStepNeedsAtLeastOneHeadAndAKnownText(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> engine.validate(headsStep(dir, "heads: [], text: input")))
                .isInstanceOf(PipelineFileException.class)
                .hasMessageContaining("bad.yaml:7:")
                .hasMessageContaining("option 'heads' must list at least one head");
        assertThatThrownBy(() -> engine.validate(headsStep(dir, "heads: [h, h], text: input")))
                .hasMessageContaining("option 'heads' lists a head twice: [h, h]");
        assertThatThrownBy(() -> engine.validate(headsStep(dir, "heads: [h], text: title")))
                .hasMessageContaining("option 'text' must be input, prompt or output, not 'title'");
    }

    private static Path headsStep(Path dir, String options) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                components:
                  minilm: {type: onnx-encoder}
                  h: {type: tribuo, encoder: minilm, task: classification, data: %s, label-column: topic}
                pipelines:
                  p:
                    steps:
                      - heads: {encoder: minilm, %s}
                """.formatted(TestHome.ROOT.resolve("examples/datasets/tickets.csv"), options));
        return file;
    }
}
