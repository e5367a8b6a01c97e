package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.Option;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.TokenClassifier;
import dev.sextant.spi.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTokenClassifierFactoryTest {

    private final OnnxTokenClassifierFactory factory = new OnnxTokenClassifierFactory();

    private static ComponentContext contextAt(Path base) {
        return new TestContext("tagger", base);
    }

    private static OnnxTokenClassifierConfig settings(Integer maxLength) {
        return new OnnxTokenClassifierConfig(".", maxLength, 16, 4096, 1, 1);
    }

    private static OnnxTokenClassifier load(Path folder) throws Exception {
        return OnnxTokenClassifierFactory.load(folder, settings(null));
    }

    private static JsonObject config(Path folder) throws Exception {
        return JsonParser.parseString(Files.readString(folder.resolve("config.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void declaresItsTypeAndDocumentedOptions() {
        assertThat(factory.type()).isEqualTo("onnx-token-classifier");
        assertThat(factory.kind()).isEqualTo(ComponentKind.MODEL);
        assertThat(factory.description()).isNotBlank();
        for (var component : factory.configType().getRecordComponents()) {
            Option option = component.getAnnotation(Option.class);
            assertThat(option).as(component.getName()).isNotNull();
            assertThat(option.description()).isNotBlank();
        }
        assertThat(factory.configType().getRecordComponents()[0].getAnnotation(Option.class).required()).isTrue();
        // max-length is optional: without it, config.json says
        Option maxLength = factory.configType().getRecordComponents()[1].getAnnotation(Option.class);
        assertThat(maxLength.required()).isFalse();
        assertThat(maxLength.defaultValue()).isEqualTo(Option.NO_DEFAULT);
        OnnxTokenClassifierConfig defaults = OnnxTokenClassifierConfig.defaults("x");
        assertThat(defaults.maxBatchSize()).isEqualTo(16);
        assertThat(defaults.maxBatchTokens()).isEqualTo(4096);
    }

    @Test
    void isListedInThePf4jExtensionIndex() throws Exception {
        Path classes = Path.of(OnnxTokenClassifierFactory.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        assertThat(Files.readString(classes.resolve("META-INF/extensions.idx")))
                .contains(OnnxTokenClassifierFactory.class.getName());
    }

    @Test
    void createsATokenClassifierWithLabelsFactsAndChecksumsFromTheFolder(@TempDir Path dir) throws Exception {
        Path folder = new TinyTokenClassifierGraph().folder(dir.resolve("my-tagger"));
        JsonObject config = config(folder);
        // id2label's order in the file does not matter: the ids do
        JsonObject id2label = new JsonObject();
        id2label.addProperty("1", "keep");
        id2label.addProperty("0", "drop");
        config.add("id2label", id2label);
        config.addProperty("pad_token_id", 5);
        TinyTokenClassifierGraph.writeConfig(folder, config);
        try (Model model = factory.create(new OnnxTokenClassifierConfig("my-tagger", null, 16, 4096, 1, 1),
                contextAt(dir))) {
            assertThat(model).isInstanceOf(TokenClassifier.class);
            TokenClassifier classifier = (TokenClassifier) model;
            assertThat(classifier.labels()).containsExactly("drop", "keep");
            assertThat(classifier.maxLength()).isEqualTo(512);
            ModelInfo info = model.info();
            assertThat(info.name()).isEqualTo("my-tagger");
            assertThat(info.architecture()).isEqualTo("tiny-tagger");
            assertThat(info.vocabSize()).isEqualTo(3000);
            assertThat(info.maxPositions()).isEqualTo(512);
            assertThat(info.padTokenId()).isEqualTo(5);
            assertThat(info.provenance()).containsEntry("source", folder.toString())
                    .containsEntry("sha256:model.onnx", sha256(folder.resolve("model.onnx")))
                    .containsEntry("sha256:tokenizer.json", sha256(folder.resolve("tokenizer.json")))
                    .containsEntry("labels", "drop,keep").containsEntry("max-length", "512")
                    .containsEntry("intra-op-threads", "1").containsEntry("inter-op-threads", "1")
                    .containsKey("onnxruntime");
            assertThat(classifier.classify(List.of("mia lives in oslo ."), RunLimits.DEFAULT).get(0)
                    .probabilities()[0]).hasSize(2);
        }
    }

    @Test
    void findsModelOnnxInAnOnnxSubfolder(@TempDir Path dir) throws Exception {
        Path folder = new TinyTokenClassifierGraph().folder(dir);
        Files.createDirectories(folder.resolve("onnx"));
        Files.move(folder.resolve("model.onnx"), folder.resolve("onnx/model.onnx"));
        try (OnnxTokenClassifier model = load(folder)) {
            assertThat(model.info().provenance()).containsKey("sha256:onnx/model.onnx");
        }
    }

    @Test
    void withoutId2labelTheLabelsAreNamedFromTheGraph(@TempDir Path dir) throws Exception {
        TinyTokenClassifierGraph graph = new TinyTokenClassifierGraph();
        graph.labels = 3;
        Path folder = graph.folder(dir);
        JsonObject config = config(folder);
        config.remove("id2label");
        TinyTokenClassifierGraph.writeConfig(folder, config);
        try (OnnxTokenClassifier model = load(folder)) {
            assertThat(model.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
        }
        // and if the graph does not say either, config.json must
        graph.declareLabels = false;
        graph.writeTo(Files.createDirectories(dir.resolve("open")));
        Files.copy(folder.resolve("config.json"), dir.resolve("open/config.json"));
        Files.copy(folder.resolve("tokenizer.json"), dir.resolve("open/tokenizer.json"));
        assertThatThrownBy(() -> load(dir.resolve("open"))).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("open/model.onnx").toString())
                .hasMessageContaining(dir.resolve("open/config.json").toString()).hasMessageContaining("id2label");
        // a graph that leaves the count open runs with the labels id2label names
        config.add("id2label", JsonParser.parseString("{\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}"));
        TinyTokenClassifierGraph.writeConfig(dir.resolve("open"), config);
        try (OnnxTokenClassifier model = load(dir.resolve("open"))) {
            assertThat(model.labels()).containsExactly("a", "b", "c");
            assertThat(model.classify(List.of("mia"), RunLimits.DEFAULT).get(0).probabilities()[0]).hasSize(3);
        }
    }

    @Test
    void id2labelThatContradictsTheGraphOrIsMalformedIsAClearError(@TempDir Path dir) throws Exception {
        Path folder = new TinyTokenClassifierGraph().folder(dir);
        JsonObject config = config(folder);
        config.add("id2label", JsonParser.parseString("{\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}"));
        TinyTokenClassifierGraph.writeConfig(folder, config);
        assertThatThrownBy(() -> load(folder)).isInstanceOf(ModelException.class)
                .hasMessageContaining(folder.resolve("model.onnx").toString())
                .hasMessageContaining(folder.resolve("config.json").toString())
                .hasMessageContaining("2 entries per token").hasMessageContaining("3 labels");
        for (String bad : new String[] {"{\"0\": \"a\", \"2\": \"b\"}", "[\"a\", \"b\"]", "{\"first\": \"a\"}",
                "{}"}) {
            config.add("id2label", JsonParser.parseString(bad));
            TinyTokenClassifierGraph.writeConfig(folder, config);
            assertThatThrownBy(() -> load(folder)).as(bad).isInstanceOf(ModelException.class)
                    .hasMessageContaining(folder.resolve("config.json").toString()).hasMessageContaining("id2label");
        }
    }

    @Test
    void maxLengthMayLowerTheModelsLimitButNotRaiseIt(@TempDir Path dir) throws Exception {
        Path folder = new TinyTokenClassifierGraph().folder(dir);
        try (OnnxTokenClassifier model = OnnxTokenClassifierFactory.load(folder, settings(100))) {
            assertThat(model.maxLength()).isEqualTo(100);
            assertThat(model.info().maxPositions()).isEqualTo(512);
            assertThat(model.info().provenance()).containsEntry("max-length", "100");
        }
        assertThatThrownBy(() -> OnnxTokenClassifierFactory.load(folder, settings(513)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("513").hasMessageContaining("512")
                .hasMessageContaining("max_position_embeddings")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("max-length");
    }

    @Test
    void withoutMaxPositionEmbeddingsMaxLengthMustBeGiven(@TempDir Path dir) throws Exception {
        Path folder = new TinyTokenClassifierGraph().folder(dir);
        JsonObject config = config(folder);
        config.remove("max_position_embeddings");
        TinyTokenClassifierGraph.writeConfig(folder, config);
        assertThatThrownBy(() -> load(folder)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(folder.resolve("config.json").toString())
                .hasMessageContaining("max_position_embeddings")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("max-length");
        try (OnnxTokenClassifier model = OnnxTokenClassifierFactory.load(folder, settings(40))) {
            assertThat(model.maxLength()).isEqualTo(40);
            assertThat(model.info().maxPositions()).isEqualTo(40);
        }
        // no config.json at all: labels from the graph, max-length from the settings
        Files.delete(folder.resolve("config.json"));
        assertThatThrownBy(() -> load(folder)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(folder.toString()).hasMessageContaining("no config.json");
        try (OnnxTokenClassifier model = OnnxTokenClassifierFactory.load(folder, settings(40))) {
            assertThat(model.labels()).containsExactly("LABEL_0", "LABEL_1");
            assertThat(model.info().architecture()).isEqualTo("unknown");
            assertThat(model.info().padTokenId()).isEqualTo(-1);
        }
    }

    @Test
    void aRobertaStyleModelReservesThePositionsUpToItsPaddingId(@TempDir Path dir) throws Exception {
        // XLM-RoBERTa (LLMLingua-2's encoder) numbers positions from pad_token_id + 1 = 2: 514 rows hold 512 tokens
        Path folder = new TinyTokenClassifierGraph().folder(dir);
        JsonObject config = config(folder);
        config.addProperty("model_type", "xlm-roberta");
        config.addProperty("max_position_embeddings", 514);
        config.addProperty("pad_token_id", 1);
        TinyTokenClassifierGraph.writeConfig(folder, config);
        try (OnnxTokenClassifier model = load(folder)) {
            assertThat(model.maxLength()).isEqualTo(512);
            assertThat(model.info().maxPositions()).isEqualTo(512);
        }
        assertThatThrownBy(() -> OnnxTokenClassifierFactory.load(folder, settings(513)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("514")
                .hasMessageContaining("xlm-roberta");
        config.remove("pad_token_id");
        TinyTokenClassifierGraph.writeConfig(folder, config);
        assertThatThrownBy(() -> load(folder)).isInstanceOf(ModelException.class)
                .hasMessageContaining(folder.resolve("config.json").toString()).hasMessageContaining("pad_token_id");
    }

    @Test
    void aMissingFolderOrFileIsAClearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> factory.create(new OnnxTokenClassifierConfig("nowhere", null, 16, 4096, 1, 1),
                contextAt(dir))).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("nowhere").toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("model.onnx").hasMessageContaining("token-classification");
        new TinyTokenClassifierGraph().folder(dir);
        Files.delete(dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("tokenizer.json");
        Files.writeString(dir.resolve("config.json"), "{not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("config.json").toString());
    }

    @Test
    void aGraphWithInputsOrOutputsOfAnotherKindIsRefusedSayingWhatWasExpected(@TempDir Path dir) throws Exception {
        TinyTokenClassifierGraph positions = new TinyTokenClassifierGraph();
        positions.extraInput = "position_ids";
        assertRefused(dir.resolve("a"), positions, "cannot feed: [position_ids]", "token_type_ids");
        TinyTokenClassifierGraph idsNamed = new TinyTokenClassifierGraph();
        idsNamed.idsName = "ids";
        assertRefused(dir.resolve("b"), idsNamed, "has no input input_ids", "[attention_mask, ids]");
        TinyTokenClassifierGraph floatIds = new TinyTokenClassifierGraph();
        floatIds.idsType = TinyTokenClassifierGraph.FLOAT;
        assertRefused(dir.resolve("c"), floatIds, "input input_ids is FLOAT", "int64");
        TinyTokenClassifierGraph hidden = new TinyTokenClassifierGraph();
        hidden.outputName = "last_hidden_state";
        assertRefused(dir.resolve("d"), hidden, "has no output logits", "[last_hidden_state]");
        TinyTokenClassifierGraph doubles = new TinyTokenClassifierGraph();
        doubles.outputType = TinyTokenClassifierGraph.DOUBLE;
        assertRefused(dir.resolve("e"), doubles, "output logits is DOUBLE", "float32 expected");
        // a causal LM's graph has past_key_values inputs
        Path causal = new TinyTokenClassifierGraph().folder(dir.resolve("f"));
        Files.copy(StoryLm.folder().resolve("model.onnx"), causal.resolve("model.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> load(causal)).isInstanceOf(ModelException.class)
                .hasMessageContaining(causal.resolve("model.onnx").toString())
                .hasMessageContaining("past_key_values.0.key");
    }

    private static void assertRefused(Path dir, TinyTokenClassifierGraph graph, String... fragments) throws Exception {
        graph.folder(dir);
        var thrown = assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString());
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }

    @Test
    void impossibleSettingsAreConfigErrors(@TempDir Path dir) throws Exception {
        Path folder = new TinyTokenClassifierGraph().folder(dir.resolve("tagger"));
        assertConfigError(folder, new OnnxTokenClassifierConfig(".", null, 16, 4096, -1, 1), "intra-op-threads");
        assertConfigError(folder, new OnnxTokenClassifierConfig(".", null, 0, 4096, 1, 1), "max-batch-size");
        assertConfigError(folder, new OnnxTokenClassifierConfig(".", null, 16, 0, 1, 1), "max-batch-tokens");
        assertConfigError(folder, new OnnxTokenClassifierConfig(".", 0, 16, 4096, 1, 1), "max-length");
        assertThatThrownBy(() -> factory.create(new OnnxTokenClassifierConfig(" ", null, 16, 4096, 1, 1),
                contextAt(dir))).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("path");
    }

    @Test
    void maxLengthMustLeaveRoomForTheSpecialTokens(@TempDir Path dir) throws Exception {
        TinyTokenClassifierGraph graph = new TinyTokenClassifierGraph();
        graph.vocab = 30522;
        Path folder = graph.folder(dir);
        Files.write(folder.resolve("tokenizer.json"), OnnxEncoderFactory.resource(OnnxEncoderFactory.BUILT_IN_TOKENIZER));
        assertConfigError(folder, settings(2), "max-length");
        assertThatThrownBy(() -> OnnxTokenClassifierFactory.load(folder, settings(2)))
                .hasMessageContaining("adds 2 special tokens");
        try (OnnxTokenClassifier model = OnnxTokenClassifierFactory.load(folder, settings(3))) {
            assertThat(model.classify(List.of("a"), RunLimits.DEFAULT).get(0).encoding().tokens())
                    .containsExactly("[CLS]", "a", "[SEP]");
        }
    }

    private static void assertConfigError(Path folder, OnnxTokenClassifierConfig config, String key) {
        assertThatThrownBy(() -> OnnxTokenClassifierFactory.load(folder, config)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }
}
