package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.Option;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEncoderFactoryTest {

    private static final List<String> TEXTS = List.of("The cat sits on the mat.", "",
            "Stock markets fell sharply today after the central bank raised interest rates.");

    /** A folder with the built-in model's two files under the names of a Hugging Face export, and no config.json. */
    @TempDir
    static Path exported;

    private static OnnxEncoder builtIn;

    private final OnnxEncoderFactory factory = new OnnxEncoderFactory();

    @BeforeAll
    static void load() throws Exception {
        builtIn = MiniLm.load();
        Files.write(exported.resolve("model.onnx"), OnnxEncoderFactory.resource(OnnxEncoderFactory.BUILT_IN_MODEL));
        Files.write(exported.resolve("tokenizer.json"),
                OnnxEncoderFactory.resource(OnnxEncoderFactory.BUILT_IN_TOKENIZER));
    }

    @AfterAll
    static void close() {
        builtIn.close();
    }

    private static ComponentContext contextAt(Path base) {
        return new TestContext("encoder", base);
    }

    private static OnnxEncoderConfig withPath(String path) {
        OnnxEncoderConfig d = OnnxEncoderConfig.defaults();
        return new OnnxEncoderConfig(path, d.pooling(), d.normalize(), d.maxLength(), d.maxBatchSize(), d.maxBatchTokens(),
                d.tokenEmbeddings(), d.intraOpThreads(), d.interOpThreads());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void declaresItsTypeAndDocumentedOptionalOptions() {
        assertThat(factory.type()).isEqualTo("onnx-encoder");
        assertThat(factory.kind()).isEqualTo(ComponentKind.MODEL);
        assertThat(factory.description()).isNotBlank();
        for (var component : factory.configType().getRecordComponents()) {
            Option option = component.getAnnotation(Option.class);
            assertThat(option).as(component.getName()).isNotNull();
            assertThat(option.description()).isNotBlank();
            assertThat(option.required()).as("%s is optional", component.getName()).isFalse();
            if (!component.getName().equals("path")) {
                assertThat(option.defaultValue()).as(component.getName()).isNotEqualTo(Option.NO_DEFAULT);
            }
        }
    }

    @Test
    void theDefaultsRecordMatchesTheDocumentedDefaults() throws Exception {
        OnnxEncoderConfig defaults = OnnxEncoderConfig.defaults();
        for (var component : OnnxEncoderConfig.class.getRecordComponents()) {
            Object value = component.getAccessor().invoke(defaults);
            String documented = component.getAnnotation(Option.class).defaultValue();
            if (component.getName().equals("path")) {
                assertThat(value).isNull();
            } else {
                assertThat(String.valueOf(value)).as(component.getName()).isEqualTo(documented);
            }
        }
    }

    @Test
    void isListedInThePf4jExtensionIndex() throws Exception {
        Path classes = Path.of(OnnxEncoderFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(Files.readString(classes.resolve("META-INF/extensions.idx")))
                .contains(OnnxEncoderFactory.class.getName());
    }

    @Test
    void withoutPathTheBuiltInModelIsCreatedWithItsFactsAndIdentity(@TempDir Path dir) throws Exception {
        try (Model model = factory.create(OnnxEncoderConfig.defaults(), contextAt(dir))) {
            assertThat(model).isInstanceOf(Encoder.class);
            assertThat(((Encoder) model).dimension()).isEqualTo(384);
            ModelInfo info = model.info();
            assertThat(info.name()).isEqualTo("all-minilm-l6-v2");
            assertThat(info.architecture()).isEqualTo("bert");
            assertThat(info.maxPositions()).isEqualTo(512);
            assertThat(info.vocabSize()).isEqualTo(30522).isEqualTo(model.tokenizer().vocabSize());
            assertThat(info.provenance())
                    .containsEntry("source", "classpath:all-minilm-l6-v2")
                    .containsEntry("sha256:all-minilm-l6-v2.onnx",
                            sha256(Files.readAllBytes(exported.resolve("model.onnx"))))
                    .containsEntry("pooling", "mean")
                    .containsEntry("normalize", "true")
                    .containsEntry("max-length", "256")
                    .containsKeys("sha256:all-minilm-l6-v2-tokenizer.json", "onnxruntime", "intra-op-threads");
        }
    }

    @Test
    void theSameModelLoadedFromAFolderGivesIdenticalVectors() throws Exception {
        try (Model model = factory.create(withPath(exported.getFileName().toString()),
                contextAt(exported.getParent()))) {
            Encoder folder = (Encoder) model;
            assertThat(folder.dimension()).isEqualTo(384);
            Embeddings fromFolder = folder.embed(TEXTS, RunLimits.DEFAULT);
            Embeddings fromClasspath = builtIn.embed(TEXTS, RunLimits.DEFAULT);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(fromFolder.pooled()[i]).as("text %d", i).containsExactly(fromClasspath.pooled()[i]);
                assertThat(fromFolder.encodings().get(i)).isEqualTo(fromClasspath.encodings().get(i));
            }
            ModelInfo info = model.info();
            assertThat(info.name()).isEqualTo(exported.getFileName().toString());
            assertThat(info.architecture()).isEqualTo("unknown");
            // no config.json: the longest input fed is all that is known
            assertThat(info.maxPositions()).isEqualTo(256);
            assertThat(info.provenance())
                    .containsEntry("source", exported.toAbsolutePath().normalize().toString())
                    .containsEntry("sha256:model.onnx",
                            builtIn.info().provenance().get("sha256:all-minilm-l6-v2.onnx"))
                    .containsEntry("sha256:tokenizer.json",
                            builtIn.info().provenance().get("sha256:all-minilm-l6-v2-tokenizer.json"));
        }
    }

    @Test
    void configJsonGivesTheFactsAndItsLimitIsChecked(@TempDir Path dir) throws Exception {
        Files.copy(exported.resolve("model.onnx"), dir.resolve("model.onnx"));
        Files.copy(exported.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        JsonObject config = new JsonObject();
        config.addProperty("model_type", "bert");
        config.addProperty("max_position_embeddings", 512);
        config.addProperty("hidden_size", 384);
        config.addProperty("vocab_size", 30522);
        Files.writeString(dir.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
        try (OnnxEncoder model = OnnxEncoderFactory.load(dir, withPath(dir.toString()))) {
            assertThat(model.info().architecture()).isEqualTo("bert");
            assertThat(model.info().maxPositions()).isEqualTo(512);
        }
        OnnxEncoderConfig tooLong = new OnnxEncoderConfig(dir.toString(), "mean", true, 1024, 32, 512, false, 1, 1);
        assertThatThrownBy(() -> OnnxEncoderFactory.load(dir, tooLong)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("1024").hasMessageContaining("max_position_embeddings is 512")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("max-length");

        config.addProperty("hidden_size", 768);
        Files.writeString(dir.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxEncoderFactory.load(dir, withPath(dir.toString())))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("384").hasMessageContaining("hidden_size = 768");
    }

    @Test
    void aFolderWithoutModelOnnxOrTokenizerIsAClearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> factory.create(withPath("nowhere"), contextAt(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.resolve("nowhere").toString())
                .hasMessageContaining("does not exist");
        Files.copy(exported.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> factory.create(withPath("."), contextAt(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("has no model.onnx");
        Files.delete(dir.resolve("tokenizer.json"));
        Files.copy(exported.resolve("model.onnx"), dir.resolve("model.onnx"));
        assertThatThrownBy(() -> factory.create(withPath("."), contextAt(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("has no tokenizer.json");
    }

    @Test
    void aGraphThatIsNotAnEncoderIsRefusedNamingItsInputs(@TempDir Path dir) throws Exception {
        Files.copy(StoryLm.folder().resolve("model.onnx"), dir.resolve("model.onnx"));
        Files.copy(exported.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> OnnxEncoderFactory.load(dir, withPath(dir.toString())))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("past_key_values.0.key").hasMessageContaining("input_ids and attention_mask");
    }

    @Test
    void badSettingsAreConfigErrorsNamingTheOption(@TempDir Path dir) {
        assertKey(() -> OnnxEncoderFactory.loadBuiltIn(MiniLm.config("max", true, 256, 32, false)), "pooling",
                "unknown pooling 'max'", "mean or cls");
        assertKey(() -> OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 0, 32, false)), "max-length",
                "at least 1");
        assertKey(() -> OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 2, 32, false)), "max-length",
                "2 special tokens");
        assertKey(() -> OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 513, 32, false)), "max-length",
                "max_position_embeddings is 512");
        assertKey(() -> OnnxEncoderFactory.loadBuiltIn(MiniLm.config("mean", true, 256, 0, false)),
                "max-batch-size");
        assertKey(() -> OnnxEncoderFactory.loadBuiltIn(
                new OnnxEncoderConfig(null, "mean", true, 256, 32, 512, false, -1, 1)), "intra-op-threads");
        assertKey(() -> factory.create(withPath(" "), contextAt(dir)), "path", "leave path out");
    }

    private static void assertKey(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key,
            String... fragments) {
        var thrown = assertThatThrownBy(call).isInstanceOf(ConfigException.class);
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
        thrown.extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }
}
