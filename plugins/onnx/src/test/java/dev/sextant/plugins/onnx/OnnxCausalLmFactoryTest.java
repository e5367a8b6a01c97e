package dev.sextant.plugins.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.Option;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.Model;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxCausalLmFactoryTest {

    private final OnnxCausalLmFactory factory = new OnnxCausalLmFactory();

    private static ComponentContext contextAt(Path base) {
        return new TestContext("story", base);
    }

    /** A copy of story-lm whose config.json is replaced. */
    private static Path copyWithConfig(Path dir, JsonObject config) throws Exception {
        for (String file : new String[] {"model.onnx", "tokenizer.json", "generation_config.json"}) {
            Files.copy(StoryLm.folder().resolve(file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void declaresItsTypeAndDocumentedOptions() {
        assertThat(factory.type()).isEqualTo("onnx-causal-lm");
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
        // the plugin's own index, next to its classes (other jars on the test classpath have theirs)
        Path classes = Path.of(OnnxCausalLmFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(Files.readString(classes.resolve("META-INF/extensions.idx")))
                .contains(OnnxCausalLmFactory.class.getName());
    }

    @Test
    void createsALanguageModelWithFactsAndChecksumsFromTheFolder() throws Exception {
        Path models = StoryLm.root().resolve("models");
        try (Model model = factory.create(new OnnxCausalLmConfig("story-lm", 1, 1, 8, 1), contextAt(models))) {
            assertThat(model).isInstanceOf(LanguageModel.class);
            ModelInfo info = model.info();
            assertThat(info.name()).isEqualTo("story-lm");
            JsonObject config = StoryLm.json("config.json");
            assertThat(info.architecture()).isEqualTo(config.get("model_type").getAsString());
            assertThat(info.vocabSize()).isEqualTo(config.get("vocab_size").getAsInt());
            assertThat(info.maxPositions()).isEqualTo(config.get("max_position_embeddings").getAsInt());
            assertThat(info.eosTokenIds()).isEqualTo(Set.of(StoryLm.json("reference.json").get("eos_token_id").getAsInt()));
            assertThat(info.padTokenId()).isEqualTo(StoryLm.json("generation_config.json").get("pad_token_id").getAsInt());
            byte[] bytes = Files.readAllBytes(StoryLm.folder().resolve("model.onnx"));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(info.provenance()).containsEntry("sha256:model.onnx", sha)
                    .containsKeys("sha256:tokenizer.json", "onnxruntime", "intra-op-threads");
            assertThat(model.tokenizer().vocabSize()).isEqualTo(info.vocabSize());
        }
    }

    @Test
    void aMissingFolderIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> factory.create(new OnnxCausalLmConfig("nowhere", 1, 1, 8, 1), contextAt(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.resolve("nowhere").toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aFolderWithoutAnOnnxFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(dir, new OnnxCausalLmConfig(".", 1, 1, 8, 1)))
                .isInstanceOf(ModelException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("model.onnx").hasMessageContaining("decoder_with_past_model.onnx");
    }

    @Test
    void findsTheGraphFilesOfEachHuggingFaceLayout(@TempDir Path dir) throws Exception {
        Path single = Files.createDirectories(dir.resolve("single"));
        Files.writeString(single.resolve("model.onnx"), "");
        assertThat(DecoderGraph.locate(single)).containsExactly(single.resolve("model.onnx"));

        Path merged = Files.createDirectories(dir.resolve("merged/onnx"));
        Files.writeString(merged.resolve("decoder_model_merged.onnx"), "");
        Files.writeString(merged.resolve("decoder_model.onnx"), "");
        assertThat(DecoderGraph.locate(dir.resolve("merged"))).containsExactly(merged.resolve("decoder_model_merged.onnx"));

        Path split = Files.createDirectories(dir.resolve("split"));
        Files.writeString(split.resolve("decoder_with_past_model.onnx"), "");
        assertThatThrownBy(() -> DecoderGraph.locate(split)).isInstanceOf(ModelException.class)
                .hasMessageContaining("no decoder_model.onnx");
        Files.writeString(split.resolve("decoder_model.onnx"), "");
        assertThat(DecoderGraph.locate(split))
                .containsExactly(split.resolve("decoder_model.onnx"), split.resolve("decoder_with_past_model.onnx"));

        Path noCache = Files.createDirectories(dir.resolve("no-cache"));
        Files.writeString(noCache.resolve("decoder_model.onnx"), "");
        assertThatThrownBy(() -> DecoderGraph.locate(noCache)).isInstanceOf(ModelException.class)
                .hasMessageContaining("text-generation-with-past");
    }

    @Test
    void loadsAMergedDecoderByItsOptimumName(@TempDir Path dir) throws Exception {
        Files.copy(StoryLm.folder().resolve("model.onnx"), dir.resolve("decoder_model_merged.onnx"));
        for (String file : new String[] {"config.json", "tokenizer.json"}) {
            Files.copy(StoryLm.folder().resolve(file), dir.resolve(file));
        }
        try (OnnxCausalLm model = OnnxCausalLmFactory.load(dir, new OnnxCausalLmConfig(".", 1, 1, 8, 1))) {
            assertThat(model.info().provenance()).containsKey("sha256:decoder_model_merged.onnx");
            assertThat(model.logProbabilities(java.util.List.of(new int[] {110, 298, 392}),
                    dev.sextant.spi.RunLimits.DEFAULT)[0][2]).isNegative();
        }
    }

    @Test
    void aMissingConfigJsonIsAClearError(@TempDir Path dir) throws Exception {
        Files.copy(StoryLm.folder().resolve("model.onnx"), dir.resolve("model.onnx"));
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(dir, new OnnxCausalLmConfig(".", 1, 1, 8, 1)))
                .isInstanceOf(ModelException.class).hasMessageContaining("config.json").hasMessageContaining(dir.toString());
    }

    @Test
    void aMissingConfigKeyIsNamed(@TempDir Path dir) throws Exception {
        JsonObject config = StoryLm.json("config.json");
        config.remove("num_hidden_layers");
        copyWithConfig(dir, config);
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(dir, new OnnxCausalLmConfig(".", 1, 1, 8, 1)))
                .isInstanceOf(ModelException.class).hasMessageContaining("num_hidden_layers")
                .hasMessageContaining(dir.resolve("config.json").toString());
    }

    @Test
    void aConfigThatContradictsTheGraphIsAClearError(@TempDir Path dir) throws Exception {
        JsonObject config = StoryLm.json("config.json");
        config.addProperty("num_hidden_layers", 6);
        copyWithConfig(dir, config);
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(dir, new OnnxCausalLmConfig(".", 1, 1, 8, 1)))
                .isInstanceOf(ModelException.class).hasMessageContaining("6 layers");
    }

    @Test
    void gpt2StyleKeysAreUnderstood(@TempDir Path dir) throws Exception {
        JsonObject config = StoryLm.json("config.json");
        config.remove("num_hidden_layers");
        config.addProperty("n_layer", 4);
        config.remove("max_position_embeddings");
        config.addProperty("n_positions", 512);
        config.remove("eos_token_id");
        copyWithConfig(dir, config);
        Files.delete(dir.resolve("generation_config.json"));
        try (OnnxCausalLm model = OnnxCausalLmFactory.load(dir, new OnnxCausalLmConfig(".", 1, 1, 8, 1))) {
            assertThat(model.info().maxPositions()).isEqualTo(512);
            assertThat(model.info().eosTokenIds()).isEmpty();
        }
    }

    @Test
    void impossibleSettingsAreConfigErrors() {
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(StoryLm.folder(), new OnnxCausalLmConfig(".", -1, 1, 8, 1)))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> OnnxCausalLmFactory.load(StoryLm.folder(), new OnnxCausalLmConfig(".", 1, 1, 0, 1)))
                .isInstanceOf(ConfigException.class);
    }
}
