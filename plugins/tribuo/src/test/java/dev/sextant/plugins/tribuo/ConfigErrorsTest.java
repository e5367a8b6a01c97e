package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.head.HeadTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config and data mistakes fail at create() with the option, the file, the line and the column. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private ConfigException configError(ThrowingCallable call) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> thrown[0] = e);
        return (ConfigException) thrown[0];
    }

    @Test
    void aMissingColumnListsTheColumnsPresent() {
        Fixtures fixtures = new Fixtures(dir);
        HeadConfig config = HeadConfig.classification(TrainerKind.LOGISTIC);
        config.labelColumn = "category";
        ConfigException e = configError(() -> fixtures.create("topic", config, HashedEncoder.fresh()));
        assertThat(e.key()).isEqualTo("label-column");
        assertThat(e.getMessage()).contains("tickets.csv has no column 'category'", "id, text, topic, tags, urgency");

        HeadConfig json = HeadConfig.classification(TrainerKind.LOGISTIC).data("tickets.jsonl");
        json.textColumn = "body";
        ConfigException j = configError(() -> fixtures.create("topic", json, HashedEncoder.fresh()));
        assertThat(j.key()).isEqualTo("text-column");
        assertThat(j.getMessage()).contains("tickets.jsonl has no column 'body'", "id, text, topic, tags, urgency");
    }

    @Test
    void aMissingFileNamesTheOption() {
        Fixtures fixtures = new Fixtures(dir);
        ConfigException e = configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("nowhere.csv"), HashedEncoder.fresh()));
        assertThat(e.key()).isEqualTo("data");
        assertThat(e.getMessage()).contains("nowhere.csv", "does not exist");

        HeadConfig eval = HeadConfig.classification(TrainerKind.LOGISTIC);
        eval.evaluationData = "missing-eval.csv";
        assertThat(configError(() -> fixtures.create("topic", eval, HashedEncoder.fresh())).key())
                .isEqualTo("evaluation-data");

        assertThat(configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("tickets.txt"), HashedEncoder.fresh()))
                .getMessage()).contains(".csv", ".jsonl");
    }

    @Test
    void aBadRegressionValueNamesFileLineAndColumn() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        // Line 3 opens a quoted text that ends on line 4, so the bad value is on physical line 6.
        Files.writeString(dir.resolve("bad.csv"), """
                text,urgency
                printer is on fire,9
                "two lines
                of text",2
                all fine,1.5
                still broken,high
                """);
        ConfigException e = configError(() -> fixtures.create("urgency",
                HeadConfig.regression(TrainerKind.LINEAR_SGD).data("bad.csv"), HashedEncoder.fresh()));
        assertThat(e.key()).isEqualTo("data");
        assertThat(e.getMessage()).isEqualTo("bad.csv line 6, column 'urgency': 'high' is not a number");

        Files.writeString(dir.resolve("bad.jsonl"), """
                {"text": "ok", "urgency": 1}

                {"text": "not ok", "urgency": "very"}
                """);
        assertThat(configError(() -> fixtures.create("urgency",
                HeadConfig.regression(TrainerKind.LINEAR_SGD).data("bad.jsonl"), HashedEncoder.fresh())).getMessage())
                .isEqualTo("bad.jsonl line 3, column 'urgency': 'very' is not a number");
    }

    @Test
    void emptyTextsAndMissingLabelsAreRefusedNotDropped() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        Files.writeString(dir.resolve("gaps.csv"), "text,topic\nmy invoice,billing\n   ,billing\n");
        assertThat(configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("gaps.csv"), HashedEncoder.fresh())).getMessage())
                .isEqualTo("gaps.csv line 3, column 'text': the text is empty");

        Files.writeString(dir.resolve("nolabel.csv"), "text,topic\nmy invoice,billing\napp crash,\n");
        assertThat(configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("nolabel.csv"), HashedEncoder.fresh()))
                .getMessage()).isEqualTo("nolabel.csv line 3, column 'topic': the label is missing");

        Files.writeString(dir.resolve("short.csv"), "text,topic\nmy invoice,billing\napp crash\n");
        assertThat(configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("short.csv"), HashedEncoder.fresh()))
                .getMessage()).isEqualTo("short.csv line 3 has 1 fields but the header has 2 (text, topic)");

        Files.writeString(dir.resolve("nolabel.jsonl"), "{\"text\": \"a\", \"topic\": \"x\"}\n{\"text\": \"b\"}\n");
        assertThat(configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("nolabel.jsonl"), HashedEncoder.fresh()))
                .getMessage()).isEqualTo("nolabel.jsonl line 2, column 'topic': the value is missing");

        Files.writeString(dir.resolve("broken.jsonl"), "{\"text\": \"a\", \"topic\": \"x\"}\n{\"text\": \"b\",\n");
        assertThat(configError(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.LOGISTIC).data("broken.jsonl"), HashedEncoder.fresh()))
                .getMessage()).startsWith("broken.jsonl line 2: not valid JSON");
    }

    @Test
    void aTrainerThatDoesNotFitTheTaskListsTheOnesThatDo() {
        Fixtures fixtures = new Fixtures(dir);
        ConfigException e = configError(() -> fixtures.create("tags", HeadConfig.multiLabel(TrainerKind.XGBOOST),
                HashedEncoder.fresh()));
        assertThat(e.key()).isEqualTo("trainer");
        assertThat(e.getMessage()).contains("trainer: xgboost cannot train a multi-label head",
                "use one of: logistic, linear-sgd");
        ConfigException r = configError(() -> fixtures.create("urgency", HeadConfig.regression(TrainerKind.LOGISTIC),
                HashedEncoder.fresh()));
        assertThat(r.getMessage()).contains("use one of: linear-sgd, liblinear, xgboost");
    }

    @Test
    void theTrainerDefaultsByTask() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        assertThat(fixtures.create("urgency", HeadConfig.regression(null), HashedEncoder.fresh()).spec().trainer())
                .isEqualTo(TrainerKind.LINEAR_SGD);
        assertThat(fixtures.create("topic", HeadConfig.classification(null), HashedEncoder.fresh()).spec().trainer())
                .isEqualTo(TrainerKind.LOGISTIC);
    }

    @Test
    void embeddingsOfAnotherDimensionAreAModelError() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        TribuoHead head = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC),
                HashedEncoder.fresh());
        head.train(false, Progress.NONE);
        HashedEncoder small = new HashedEncoder(32, "small");
        assertThatThrownBy(() -> head.predict(Fixtures.embeddings(small, List.of("my invoice"))))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("64-dimensional")
                .hasMessageContaining("32-dimensional")
                .hasMessageContaining("'enc'");
        assertThat(head.predict(Fixtures.embeddings(small, List.of()))).isEmpty();
    }

    @Test
    void evaluatingWithNothingHeldOutSaysHowToFixIt() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HeadConfig config = HeadConfig.classification(TrainerKind.LOGISTIC);
        config.heldOut = 0;
        TribuoHead head = fixtures.create("topic", config, HashedEncoder.fresh());
        assertThat(head.task()).isEqualTo(HeadTask.CLASSIFICATION);
        assertThat(head.train(false, Progress.NONE).rows()).isEqualTo(150);
        ConfigException e = configError(() -> head.evaluate(Progress.NONE));
        assertThat(e.key()).isEqualTo("held-out");
        assertThat(e.getMessage()).contains("evaluation-data");
    }

    @Test
    void aDataFileChangedAfterCreateIsRefusedAtTraining() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        TribuoHead head = fixtures.create("topic", HeadConfig.classification(TrainerKind.LOGISTIC),
                HashedEncoder.fresh());
        Files.writeString(dir.resolve("tickets.csv"), "id,text,topic,tags,urgency\n1,a,b,,1\n2,c,d,,2\n");
        ConfigException e = configError(() -> head.train(false, Progress.NONE));
        assertThat(e.key()).isEqualTo("data");
        assertThat(e.getMessage()).contains("changed");
    }

    @Test
    void anEvaluationLabelNeverSeenInTrainingIsNamedWithItsLine() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        Files.writeString(dir.resolve("odd-eval.csv"), "text,topic\nmy invoice,billing\nI want to return it,returns\n");
        HeadConfig config = HeadConfig.classification(TrainerKind.LOGISTIC);
        config.evaluationData = "odd-eval.csv";
        TribuoHead head = fixtures.create("topic", config, HashedEncoder.fresh());
        ConfigException e = configError(() -> head.evaluate(Progress.NONE));
        assertThat(e.key()).isEqualTo("evaluation-data");
        assertThat(e.getMessage()).startsWith("odd-eval.csv line 3: the evaluation row has label 'returns'")
                .contains("billing, shipping, technical");
    }
}
