package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.Progress;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines data (multi-label labels as arrays) and a separate evaluation file. */
class JsonDataTest {

    @TempDir
    Path dir;

    @Test
    void multiLabelFromJsonLinesEvaluatedOnAnEvaluationFile() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        HeadConfig config = HeadConfig.multiLabel(TrainerKind.LOGISTIC).data("tickets.jsonl");
        config.evaluationData = "tickets-eval.csv";
        TribuoHead head = fixtures.create("tags", config, encoder);
        HeadTraining training = head.train(false, Progress.NONE);
        assertThat(training.rows()).as("with an evaluation file all data trains").isEqualTo(150);
        assertThat(training.provenance().get("evaluation_data").toString()).contains("tickets-eval.csv");
        assertThat(training.provenance().get("rows")).isEqualTo(Map.of("data", 150, "evaluation", 30, "train", 150,
                "held_out", 0));

        HeadEvaluation evaluation = head.evaluate(Progress.NONE);
        assertThat(evaluation.data()).isEqualTo("evaluation file tickets-eval.csv (30 rows)");
        assertThat(evaluation.rows()).isEqualTo(30);
        assertThat(evaluation.metrics()).containsOnlyKeys("macro_f1", "micro_f1", "jaccard");
        assertThat(evaluation.metrics().get("micro_f1")).isGreaterThan(0.8);
        assertThat(evaluation.labels()).isEmpty();
        assertThat(evaluation.confusion()).isEmpty();

        // The evaluation's Jaccard score equals one recomputed from predict() on the evaluation rows.
        List<Map<String, String>> rows = fixtures.csv("tickets-eval.csv");
        List<Prediction> predictions = head.predict(Fixtures.embeddings(encoder, Fixtures.column(rows, "text")));
        double jaccard = 0;
        for (int i = 0; i < rows.size(); i++) {
            java.util.Set<String> truth = new java.util.HashSet<>();
            for (String t : rows.get(i).get("tags").split(";")) {
                if (!t.isEmpty()) {
                    truth.add(t);
                }
            }
            java.util.Set<String> predicted = new java.util.HashSet<>(predictions.get(i).labels());
            java.util.Set<String> union = new java.util.HashSet<>(truth);
            union.addAll(predicted);
            predicted.retainAll(truth);
            jaccard += union.isEmpty() ? 1.0 : (double) predicted.size() / union.size();
        }
        assertThat(evaluation.metrics().get("jaccard")).isCloseTo(jaccard / rows.size(),
                org.assertj.core.api.Assertions.within(1e-12));
        for (Prediction p : predictions) {
            for (String label : p.labels()) {
                assertThat(p.scores().get(label)).isGreaterThanOrEqualTo(0.5);
            }
            assertThat(p.scores()).containsOnlyKeys("urgent", "angry", "refund");
        }
    }

    @Test
    void aJsonArrayFileAndASeparatorInOneString() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        Files.writeString(dir.resolve("small.json"), """
                [
                  {"text": "refund now, this is urgent", "tags": "refund|urgent"},
                  {"text": "terrible service, I am furious", "tags": ["angry"]},
                  {"text": "thanks for the help", "tags": ""},
                  {"text": "refund please", "tags": "refund"}
                ]
                """);
        HeadConfig config = HeadConfig.multiLabel(TrainerKind.LINEAR_SGD).data("small.json");
        config.labelSeparator = "|";
        config.heldOut = 0;
        config.threshold = 0.0;
        TribuoHead head = fixtures.create("tags", config, HashedEncoder.fresh());
        assertThat(head.train(false, Progress.NONE).rows()).isEqualTo(4);

        Files.writeString(dir.resolve("bad.json"), """
                [
                  {"text": "fine", "tags": "refund"},
                  {"text": ["not", "a", "string"], "tags": "refund"}
                ]
                """);
        HeadConfig bad = HeadConfig.multiLabel(TrainerKind.LINEAR_SGD).data("bad.json");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixtures.create("tags", bad, HashedEncoder.fresh()))
                .hasMessage("bad.json line 3, column 'text': expected a single value, found a JSON array");
    }
}
