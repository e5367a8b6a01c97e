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
import dev.sextant.spi.model.MaskedLanguageModel;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxMaskedLmFactoryTest {

    private static final OnnxMaskedLmConfig SETTINGS = new OnnxMaskedLmConfig(".", 1, 1, 8);

    private final OnnxMaskedLmFactory factory = new OnnxMaskedLmFactory();

    private static ComponentContext contextAt(Path base) {
        return new TestContext("replacer", base);
    }

    private static Path storyMlm() {
        return OnnxMaskedLmTest.folder();
    }

    private static JsonObject json(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static void write(Path file, JsonObject json) throws Exception {
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
    }

    /** A copy of story-mlm whose config.json is replaced. */
    private static Path copyWithConfig(Path dir, JsonObject config) throws Exception {
        for (String file : new String[] {"model.onnx", "tokenizer.json"}) {
            Files.copy(storyMlm().resolve(file), dir.resolve(file));
        }
        write(dir.resolve("config.json"), config);
        return dir;
    }

    /** A folder with a tiny graph, a config.json of its vocabulary (mask id 5) and story-lm's tokenizer. */
    private static Path tinyFolder(Path dir, TinyMaskedLmGraph graph) throws Exception {
        graph.writeTo(dir);
        JsonObject config = new JsonObject();
        config.addProperty("model_type", "tiny");
        config.addProperty("vocab_size", graph.vocab);
        config.addProperty("max_position_embeddings", 16);
        config.addProperty("mask_token_id", 5);
        config.addProperty("pad_token_id", 0);
        write(dir.resolve("config.json"), config);
        Files.copy(StoryLm.folder().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        return dir;
    }

    @Test
    void declaresItsTypeAndDocumentedOptions() {
        assertThat(factory.type()).isEqualTo("onnx-masked-lm");
        assertThat(factory.kind()).isEqualTo(ComponentKind.MODEL);
        assertThat(factory.description()).isNotBlank();
        for (var component : factory.configType().getRecordComponents()) {
            Option option = component.getAnnotation(Option.class);
            assertThat(option).as(component.getName()).isNotNull();
            assertThat(option.description()).isNotBlank();
        }
        assertThat(factory.configType().getRecordComponents()[0].getAnnotation(Option.class).required()).isTrue();
    }

    @Test
    void isListedInThePf4jExtensionIndex() throws Exception {
        Path classes = Path.of(OnnxMaskedLmFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(Files.readString(classes.resolve("META-INF/extensions.idx")))
                .contains(OnnxMaskedLmFactory.class.getName());
    }

    @Test
    void createsAMaskedLanguageModelWithFactsAndChecksumsFromTheFolder() throws Exception {
        Path models = StoryLm.root().resolve("models");
        try (Model model = factory.create(new OnnxMaskedLmConfig("story-mlm", 1, 1, 8), contextAt(models))) {
            assertThat(model).isInstanceOf(MaskedLanguageModel.class);
            ModelInfo info = model.info();
            JsonObject config = json(storyMlm().resolve("config.json"));
            assertThat(info.name()).isEqualTo("story-mlm");
            assertThat(info.architecture()).isEqualTo(config.get("model_type").getAsString());
            assertThat(info.vocabSize()).isEqualTo(config.get("vocab_size").getAsInt());
            assertThat(info.maxPositions()).isEqualTo(config.get("max_position_embeddings").getAsInt());
            assertThat(info.padTokenId()).isEqualTo(config.get("pad_token_id").getAsInt());
            assertThat(((MaskedLanguageModel) model).maskTokenId()).isEqualTo(config.get("mask_token_id").getAsInt());
            byte[] bytes = Files.readAllBytes(storyMlm().resolve("model.onnx"));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(info.provenance()).containsEntry("sha256:model.onnx", sha)
                    .containsKeys("sha256:tokenizer.json", "onnxruntime", "intra-op-threads", "inter-op-threads");
        }
    }

    @Test
    void findsModelOnnxInAnOnnxSubfolder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("onnx"));
        Files.copy(storyMlm().resolve("model.onnx"), dir.resolve("onnx/model.onnx"));
        for (String file : new String[] {"config.json", "tokenizer.json"}) {
            Files.copy(storyMlm().resolve(file), dir.resolve(file));
        }
        try (OnnxMaskedLm model = OnnxMaskedLmFactory.load(dir, SETTINGS)) {
            assertThat(model.info().provenance()).containsKey("sha256:onnx/model.onnx");
        }
    }

    @Test
    void aMissingFolderOrFileIsAClearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> factory.create(new OnnxMaskedLmConfig("nowhere", 1, 1, 8), contextAt(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.resolve("nowhere").toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("model.onnx");
        Files.copy(storyMlm().resolve("model.onnx"), dir.resolve("model.onnx"));
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("config.json");
        Files.copy(storyMlm().resolve("config.json"), dir.resolve("config.json"));
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("tokenizer.json");
    }

    @Test
    void aMissingConfigKeyIsNamed(@TempDir Path dir) throws Exception {
        JsonObject config = json(storyMlm().resolve("config.json"));
        config.remove("vocab_size");
        copyWithConfig(dir, config);
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining("vocab_size").hasMessageContaining(dir.resolve("config.json").toString());
    }

    @Test
    void withoutMaskTokenIdTheTokenizersMaskEntryIsUsed(@TempDir Path dir) throws Exception {
        JsonObject config = json(storyMlm().resolve("config.json"));
        config.remove("mask_token_id");
        copyWithConfig(dir, config);
        try (OnnxMaskedLm model = OnnxMaskedLmFactory.load(dir, SETTINGS)) {
            assertThat(model.maskTokenId()).isEqualTo(model.tokenizer().tokenId("<mask>").orElseThrow());
        }
        // BERT spells it [MASK]
        String tokenizer = Files.readString(dir.resolve("tokenizer.json"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tokenizer.json"), tokenizer.replace("\"<mask>\"", "\"[MASK]\""),
                StandardCharsets.UTF_8);
        try (OnnxMaskedLm model = OnnxMaskedLmFactory.load(dir, SETTINGS)) {
            assertThat(model.tokenizer().tokenId("<mask>")).isEmpty();
            assertThat(model.maskTokenId()).isEqualTo(model.tokenizer().tokenId("[MASK]").orElseThrow());
        }
    }

    @Test
    void noMaskTokenAnywhereIsAClearError(@TempDir Path dir) throws Exception {
        JsonObject config = json(storyMlm().resolve("config.json"));
        config.remove("mask_token_id");
        copyWithConfig(dir, config);
        Files.copy(StoryLm.folder().resolve("tokenizer.json"), dir.resolve("tokenizer.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("mask_token_id")
                .hasMessageContaining("<mask>").hasMessageContaining("[MASK]");
    }

    @Test
    void aMaskIdOutsideTheVocabularyIsAClearError(@TempDir Path dir) throws Exception {
        JsonObject config = json(storyMlm().resolve("config.json"));
        config.addProperty("mask_token_id", 5000);
        copyWithConfig(dir, config);
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining("5000").hasMessageContaining("mask_token_id");
    }

    @Test
    void aVocabularyThatContradictsTheGraphIsAClearError(@TempDir Path dir) throws Exception {
        JsonObject config = json(storyMlm().resolve("config.json"));
        config.addProperty("vocab_size", 3002);
        copyWithConfig(dir, config);
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString()).hasMessageContaining("3001")
                .hasMessageContaining("vocab_size = 3002");
    }

    @Test
    void aCausalLmGraphIsRefusedNamingTheInputsItCannotFeed(@TempDir Path dir) throws Exception {
        copyWithConfig(dir, json(storyMlm().resolve("config.json")));
        Files.copy(StoryLm.folder().resolve("model.onnx"), dir.resolve("model.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("past_key_values.0.key").hasMessageContaining("input_ids and attention_mask");
    }

    @Test
    void wrongInputAndOutputNamesAndTypesSayWhatWasExpected(@TempDir Path dir) throws Exception {
        TinyMaskedLmGraph idsNamed = new TinyMaskedLmGraph();
        idsNamed.idsName = "ids";
        assertRefused(dir.resolve("a"), idsNamed, "has no input input_ids", "[attention_mask, ids]");
        TinyMaskedLmGraph floatIds = new TinyMaskedLmGraph();
        floatIds.idsType = TinyMaskedLmGraph.FLOAT;
        assertRefused(dir.resolve("b"), floatIds, "input input_ids is FLOAT", "int64");
        TinyMaskedLmGraph scores = new TinyMaskedLmGraph();
        scores.outputName = "scores";
        assertRefused(dir.resolve("c"), scores, "has no output logits", "[scores]");
        TinyMaskedLmGraph doubles = new TinyMaskedLmGraph();
        doubles.outputType = TinyMaskedLmGraph.DOUBLE;
        assertRefused(dir.resolve("d"), doubles, "output logits is DOUBLE", "float32 expected");
        TinyMaskedLmGraph positions = new TinyMaskedLmGraph();
        positions.extraInput = "position_ids";
        assertRefused(dir.resolve("e"), positions, "cannot feed: [position_ids]", "token_type_ids");
    }

    private static void assertRefused(Path dir, TinyMaskedLmGraph graph, String... fragments) throws Exception {
        tinyFolder(Files.createDirectories(dir), graph);
        var thrown = assertThatThrownBy(() -> OnnxMaskedLmFactory.load(dir, SETTINGS))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.resolve("model.onnx").toString());
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }

    @Test
    void tokenTypeIdsAreFedZerosAndPaddingIsMasked(@TempDir Path dir) throws Exception {
        for (boolean types : new boolean[] {false, true}) {
            TinyMaskedLmGraph graph = new TinyMaskedLmGraph();
            graph.tokenTypeIds = types;
            Path folder = tinyFolder(Files.createDirectories(dir.resolve("types-" + types)), graph);
            try (OnnxMaskedLm model = OnnxMaskedLmFactory.load(folder, SETTINGS)) {
                float[][][] out = model.maskedLogits(List.of(new int[] {1, 5, 2, 5}, new int[] {5}, new int[] {3}),
                        RunLimits.DEFAULT);
                assertThat(out[0]).hasNumberOfRows(2);
                assertThat(out[0][0]).containsExactly(graph.row(5));
                assertThat(out[0][1]).containsExactly(graph.row(5));
                assertThat(out[1]).hasNumberOfRows(1);
                assertThat(out[1][0]).containsExactly(graph.row(5));
                assertThat(out[2]).isEmpty();
            }
        }
    }

    @Test
    void impossibleSettingsAreConfigErrors(@TempDir Path dir) {
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(storyMlm(), new OnnxMaskedLmConfig(".", -1, 1, 8)))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> OnnxMaskedLmFactory.load(storyMlm(), new OnnxMaskedLmConfig(".", 1, 1, 0)))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> factory.create(new OnnxMaskedLmConfig(" ", 1, 1, 8), contextAt(dir)))
                .isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).key()).isEqualTo("path");
    }
}
