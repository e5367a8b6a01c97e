package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sextant.spi.Progress;
import dev.sextant.spi.head.HeadEvaluation;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.head.HeadTraining;
import dev.sextant.spi.head.Prediction;
import dev.sextant.spi.model.Embeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxRuntimeTest {

    @TempDir
    Path dir;

    static Stream<Arguments> exportable() {
        return Stream.of(
                Arguments.of("classification logistic", "Gemm Softmax Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.classification(TrainerKind.LOGISTIC)),
                Arguments.of("classification linear-sgd", "Gemm Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.classification(TrainerKind.LINEAR_SGD)),
                Arguments.of("classification liblinear", "Gemm Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.classification(TrainerKind.LIBLINEAR)),
                Arguments.of("multi-label logistic", "Gemm Sigmoid Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.multiLabel(TrainerKind.LOGISTIC)),
                Arguments.of("multi-label linear-sgd", "Gemm Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.multiLabel(TrainerKind.LINEAR_SGD)),
                Arguments.of("regression linear-sgd", "Gemm Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.regression(TrainerKind.LINEAR_SGD)),
                Arguments.of("regression liblinear", "Gemm Identity", (Supplier<HeadConfig>) () ->
                        HeadConfig.regression(TrainerKind.LIBLINEAR)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exportable")
    void onnxRuntimeServesTribuosPredictions(String name, String operators, Supplier<HeadConfig> config) throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        TribuoHead tribuo = fixtures.create("head", config.get(), encoder);
        TribuoHead onnx = fixtures.create("head", config.get().runtime(ServingRuntime.ONNX), encoder);
        assertThat(tribuo.train(false, Progress.NONE).fromCache()).isFalse();
        // The runtime is not part of the cache key: the ONNX head loads the same model and exports it.
        HeadTraining loaded = onnx.train(false, Progress.NONE);
        assertThat(loaded.fromCache()).isTrue();
        assertThat(loaded.runtime()).isEqualTo("onnx");
        assertThat(loaded.cacheKey()).isEqualTo(tribuo.spec().cacheKey());

        Embeddings all = Fixtures.embeddings(encoder,
                Fixtures.column(fixtures.csv("tickets.csv"), "text"));
        List<Prediction> expected = tribuo.predict(all);
        List<Prediction> served = onnx.predict(all);
        double maxDiff = 0;
        for (int r = 0; r < expected.size(); r++) {
            Prediction e = expected.get(r);
            Prediction s = served.get(r);
            assertThat(s.labels()).as("row %d", r).isEqualTo(e.labels());
            assertThat(s.scores().keySet()).isEqualTo(e.scores().keySet());
            for (String label : e.scores().keySet()) {
                maxDiff = Math.max(maxDiff, Math.abs(e.scores().get(label) - s.scores().get(label)));
            }
            if (!(Double.isNaN(e.value()) && Double.isNaN(s.value()))) { // multi-label with no label: NaN
                maxDiff = Math.max(maxDiff, Math.abs(e.value() - s.value()));
            }
        }
        System.out.printf("ONNX vs Tribuo, %s: max |diff| over 150 rows = %.3g%n", name, maxDiff);
        assertThat(maxDiff).isLessThan(1e-5);

        HeadEvaluation evaluation = onnx.evaluate(Progress.NONE);
        assertThat(evaluation.metrics().get("onnx_max_abs_diff")).isLessThan(1e-5);
        assertThat(evaluation.metrics()).doesNotContainKey("onnx_label_disagreements");
        assertThat(tribuo.evaluate(Progress.NONE).metrics()).as("same model, same figures")
                .containsAllEntriesOf(evaluation.metrics().entrySet().stream()
                        .filter(m -> !m.getKey().startsWith("onnx_"))
                        .collect(java.util.stream.Collectors.toMap(m -> m.getKey(), m -> m.getValue())));

        // What Tribuo's export looks like: one input [batch, features], one output [batch, outputs].
        Path exported = ModelCache.folder(fixtures.cache, loaded.cacheKey()).resolve(ModelCache.ONNX_FILE);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(Files.readAllBytes(exported))) {
            TensorInfo in = (TensorInfo) session.getInputInfo().get("input").getInfo();
            TensorInfo out = (TensorInfo) session.getOutputInfo().get("output").getInfo();
            assertThat(session.getInputNames()).containsExactly("input");
            assertThat(session.getOutputNames()).containsExactly("output");
            assertThat(in.getShape()).containsExactly(-1, 64);
            long outputs = switch (tribuo.task()) {
                case CLASSIFICATION -> 3;
                case MULTI_LABEL -> 3;
                case REGRESSION -> 1;
            };
            assertThat(out.getShape()).containsExactly(-1, outputs);
            String ops = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(exported)).getGraph()
                    .getNodeList().stream().map(n -> n.getOpType()).collect(java.util.stream.Collectors.joining(" "));
            assertThat(ops).isEqualTo(operators);
            System.out.printf("  graph: %s %s -> %s -> %s %s%n", session.getInputNames(),
                    Arrays.toString(in.getShape()), ops, session.getOutputNames(), Arrays.toString(out.getShape()));
        }
        tribuo.close();
        onnx.close();
    }

    @Test
    void anOnnxHeadTrainsExportsAndCachesTheExport() throws Exception {
        Fixtures fixtures = new Fixtures(dir);
        HashedEncoder encoder = HashedEncoder.fresh();
        TribuoHead head = fixtures.create("sentiment",
                HeadConfig.multiLabel(TrainerKind.LOGISTIC).runtime(ServingRuntime.ONNX), encoder);
        List<String> stages = new java.util.ArrayList<>();
        HeadTraining training = head.train(false, (stage, done, total) -> stages.add(stage));
        assertThat(training.fromCache()).isFalse();
        assertThat(stages).contains("export sentiment to ONNX");
        assertThat(ModelCache.folder(fixtures.cache, training.cacheKey()).resolve(ModelCache.ONNX_FILE))
                .isRegularFile();
        assertThat(head.task()).isEqualTo(HeadTask.MULTI_LABEL);
        Prediction p = head.predict(Fixtures.embeddings(encoder,
                List.of("terrible courier, I want a refund immediately"))).get(0);
        assertThat(p.labels()).contains("refund", "urgent");
        assertThat(p.label()).isEqualTo(String.join(",", p.labels()));
        head.close();
    }
}
