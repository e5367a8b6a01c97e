package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.Progress;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationTest {

    @TempDir
    Path dir;

    @Test
    void logisticEvaluationMatchesFiguresRecomputedFromPredictions() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        TribuoHead head = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC), encoder);
        assertThat(head.isTrained()).isFalse();
        assertThat(head.task()).isEqualTo(HeadTask.CLASSIFICATION);
        assertThat(head.encoder()).isEqualTo("enc");

        List<String> stages = new CopyOnWriteArrayList<>();
        HeadTraining training = head.train(false, (stage, done, total) -> stages.add(stage + " " + done + "/" + total));
        assertThat(training.fromCache()).isFalse();
        assertThat(training.rows()).isEqualTo(120);
        assertThat(training.trainer()).isEqualTo("logistic");
        assertThat(training.runtime()).isEqualTo("tribuo");
        assertThat(stages).contains("embed tickets.csv 0/150", "embed tickets.csv 150/150",
                "train topic (logistic, 120 rows) 0/1", "train topic (logistic, 120 rows) 1/1");
        assertThat(training.provenance()).containsKeys("data", "rows", "settings", "encoder", "tribuo_model",
                "tribuo_version", "java_version");
        assertThat(training.provenance().get("data").toString()).contains("tickets.csv", "sha256");

        // The held-out rows, recomputed here: indices shuffled with Random(seed), the first 20% held out.
        List<Map<String, String>> rows = fixtures.csv("tickets.csv");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(42));
        List<Integer> heldOut = new ArrayList<>(order.subList(0, 30));
        Collections.sort(heldOut);
        List<String> texts = heldOut.stream().map(i -> rows.get(i).get("text")).toList();
        List<String> truth = heldOut.stream().map(i -> rows.get(i).get("topic")).toList();

        List<Prediction> predictions = head.predict(Fixtures.embeddings(encoder, texts));
        assertThat(predictions).hasSize(30);
        for (Prediction p : predictions) {
            assertThat(p.scores()).containsOnlyKeys("billing", "technical", "shipping");
            double sum = p.scores().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).as("logistic scores are probabilities").isCloseTo(1.0, within(1e-9));
            assertThat(p.value()).isEqualTo(p.scores().get(p.label()));
            assertThat(p.labels()).containsExactly(p.label());
        }

        // Accuracy and macro-F1 by hand.
        int correct = 0;
        List<String> labels = new ArrayList<>(new TreeSet<>(truth));
        double f1Sum = 0;
        for (int i = 0; i < truth.size(); i++) {
            correct += truth.get(i).equals(predictions.get(i).label()) ? 1 : 0;
        }
        for (String label : labels) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < truth.size(); i++) {
                boolean actual = truth.get(i).equals(label);
                boolean predicted = predictions.get(i).label().equals(label);
                tp += actual && predicted ? 1 : 0;
                fp += !actual && predicted ? 1 : 0;
                fn += actual && !predicted ? 1 : 0;
            }
            f1Sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        double accuracy = correct / 30.0;
        double macroF1 = f1Sum / labels.size();

        HeadEvaluation evaluation = head.evaluate(Progress.NONE);
        assertThat(evaluation.rows()).isEqualTo(30);
        assertThat(evaluation.data()).isEqualTo("20% held out of tickets.csv (seed 42, 30 rows)");
        assertThat(evaluation.metrics().get("accuracy")).isCloseTo(accuracy, within(1e-12));
        assertThat(evaluation.metrics().get("macro_f1")).isCloseTo(macroF1, within(1e-12));
        assertThat(evaluation.metrics().get("micro_f1")).as("single-label micro-F1 is accuracy")
                .isCloseTo(accuracy, within(1e-12));
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
        assertThat(evaluation.labels()).containsExactly("billing", "shipping", "technical");
        long diagonal = 0;
        long total = 0;
        for (int t = 0; t < 3; t++) {
            for (int p = 0; p < 3; p++) {
                total += evaluation.confusion()[t][p];
                diagonal += t == p ? evaluation.confusion()[t][p] : 0;
            }
        }
        assertThat(total).isEqualTo(30);
        assertThat(diagonal).isEqualTo(correct);
        assertThat(evaluation.training()).isEqualTo(head.train(false, Progress.NONE));
        assertThat(evaluation.metrics()).doesNotContainKey("onnx_max_abs_diff");
    }

    @Test
    void linearSgdAndLiblinearScoresAreMarginsAndSeparateTheTopics() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        for (TrainerKind trainer : List.of(TrainerKind.LINEAR_SGD, TrainerKind.LIBLINEAR)) {
            TribuoHead head = fixtures.create("topic", HeadConfig.classification(trainer), encoder);
            HeadEvaluation evaluation = head.evaluate(Progress.NONE);
            assertThat(evaluation.metrics().get("accuracy")).as(trainer.yamlName()).isGreaterThanOrEqualTo(0.9);
            Prediction p = head.predict(Fixtures.embeddings(encoder, List.of("my invoice was overcharged"))).get(0);
            assertThat(p.label()).isEqualTo("billing");
            assertThat(p.scores().get("technical")).as("a margin, not a probability").isNegative();
        }
    }
}
