package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.Option;
import dev.sextant.spi.testing.TestContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class Llmlingua2FactoryTest {

    private final Llmlingua2Factory factory = new Llmlingua2Factory();

    private static Llmlingua2FakeTagger tagger(List<String> labels) {
        return new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 64, labels, Llmlingua2FakeTagger.hashed());
    }

    private static TestContext context(Object tagger) {
        return new TestContext("compressor", Path.of("")).with("tagger", tagger);
    }

    private static Llmlingua2Config config(String keepLabel, String wordScore, List<String> force, String structure) {
        return new Llmlingua2Config("tagger", keepLabel, wordScore, force, true, true, structure, "none", null, 1.0);
    }

    @Test
    void isAnIndexedCompressorExtensionWithDocumentedOptions() throws IOException {
        List<String> index = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(index::add);
            }
        }
        assertThat(index).contains(Llmlingua2Factory.class.getName());
        assertThat(Llmlingua2Factory.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(factory.type()).isEqualTo("llmlingua2");
        assertThat(factory.kind()).isEqualTo(ComponentKind.COMPRESSOR);
        for (RecordComponent component : factory.configType().getRecordComponents()) {
            Option option = component.getAnnotation(Option.class);
            assertThat(option).as(component.getName()).isNotNull();
            assertThat(option.description()).as(component.getName()).endsWith(".");
        }
        assertThat(factory.configType().getRecordComponents()[0].getAnnotation(Option.class).reference())
                .isEqualTo(ComponentKind.MODEL);
    }

    @Test
    void aMissingKeepLabelIsNamedWithTheModelsLabels() {
        assertThatThrownBy(() -> factory.create(config("keep", "mean", List.of(), "none"),
                context(tagger(List.of("O", "B-KEEP")))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("keep-label"))
                .hasMessageContaining("model 'tagger' has no label 'keep'; its labels are [O, B-KEEP]");
        assertThatThrownBy(() -> factory.create(config("keep", "mean", List.of(), "none"),
                context(tagger(List.of("LABEL_0", "LABEL_1")))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("keep-label"))
                .hasMessageContaining("set keep-label: LABEL_1");
    }

    @Test
    void label1IsAccepted() throws Exception {
        assertThat(factory.create(config("LABEL_1", "mean", List.of(), "none"),
                context(tagger(List.of("LABEL_0", "LABEL_1"))))).isInstanceOf(Llmlingua2Compressor.class);
    }

    @Test
    void badOptionsAreNamed() {
        TestContext context = context(tagger(List.of("drop", "keep")));
        assertThatThrownBy(() -> factory.create(config("keep", "max", List.of(), "none"), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("word-score"))
                .hasMessageContaining("unknown word-score 'max'; choose one of [mean, first]");
        assertThatThrownBy(() -> factory.create(config("keep", "mean", List.of(), "markdown"), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("structure"))
                .hasMessageContaining("choose one of [none, json]");
        assertThatThrownBy(() -> factory.create(config("keep", "mean", List.of(",", ""), "none"), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("force-tokens"));
        assertThatThrownBy(() -> factory.create(new Llmlingua2Config("other", "keep", "mean", List.of(), true, true,
                "none", "none", null, 1.0), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("model"))
                .hasMessageContaining("no component named 'other'");
        assertThatThrownBy(() -> factory.create(config("keep", "mean", List.of(), "none"), context("not a model")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("model"))
                .hasMessageContaining("is not a TokenClassifier");
        assertThatThrownBy(() -> factory.create(config("keep", "mean", List.of(), "none"),
                context(new Llmlingua2FakeTagger(Llmlingua2TestTokenizer.wordpiece(), 3, Llmlingua2FakeTagger.hashed()))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("model"))
                .hasMessageContaining("takes at most 3 tokens, 2 of them special");
    }
}
