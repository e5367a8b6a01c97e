package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XGBoost's native library loads here, trains and predicts; its models cannot be served from ONNX. */
class XGBoostTest {

    @TempDir
    Path dir;

    @Test
    void xgboostClassificationTrainsAndPredictsProbabilities() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        HeadConfig config = HeadConfig.classification(TrainerKind.XGBOOST);
        config.trees = 20;
        TribuoHead head = fixtures.create("topic", config, encoder);
        HeadTraining training = head.train(false, Progress.NONE);
        assertThat(training.trainer()).isEqualTo("xgboost");
        assertThat(training.provenance().get("tribuo_model").toString()).contains("XGBoost");

        Prediction p = head.predict(Fixtures.embeddings(encoder, List.of("the app shows an error at login"))).get(0);
        assertThat(p.label()).isEqualTo("technical");
        assertThat(p.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                within(1e-5));
        HeadEvaluation evaluation = head.evaluate(Progress.NONE);
        assertThat(evaluation.metrics().get("accuracy")).isGreaterThanOrEqualTo(0.8);

        // Reloaded from the cache (XGBoost's booster inside Tribuo's protobuf), it predicts the same.
        TribuoHead again = fixtures.create("topic", config, encoder);
        assertThat(again.isTrained()).isTrue();
        assertThat(again.predict(Fixtures.embeddings(encoder, List.of("the app shows an error at login"))))
                .containsExactly(p);
    }

    @Test
    void xgboostRegressionTrains() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HeadConfig config = HeadConfig.regression(TrainerKind.XGBOOST);
        config.trees = 30;
        config.maxDepth = 3;
        TribuoHead head = fixtures.create("urgency", config, HashedEncoder.fresh());
        HeadEvaluation evaluation = head.evaluate(Progress.NONE);
        assertThat(evaluation.metrics()).containsKeys("rmse", "mae", "r2");
        assertThat(evaluation.metrics().get("r2")).as("better than predicting the mean").isPositive();
    }

    @Test
    void onnxRuntimeWithXgboostIsAConfigError() {
        Fixtures fixtures = new Fixtures(dir);
        assertThatThrownBy(() -> fixtures.create("topic",
                HeadConfig.classification(TrainerKind.XGBOOST).runtime(ServingRuntime.ONNX), HashedEncoder.fresh()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("runtime");
                    assertThat(e.getMessage()).contains("runtime: onnx", "trainer: xgboost", "runtime: tribuo",
                            "logistic, linear-sgd, liblinear");
                });
    }
}
