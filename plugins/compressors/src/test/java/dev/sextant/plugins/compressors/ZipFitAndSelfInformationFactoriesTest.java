package dev.sextant.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.Option;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import dev.sextant.spi.compress.SelectionRequest;
import dev.sextant.spi.compress.Selector;
import dev.sextant.spi.testing.ByteTokenizer;
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

/** The factories of zipfit and self-information: extension index, documented options, creation. */
class ZipFitAndSelfInformationFactoriesTest {

    private static final List<ComponentFactory<?, ?>> FACTORIES = List.of(new ZipFitFactory(),
            new SelfInformationFactory());

    @Test
    void bothFactoriesAreExtensionsListedInThePluginIndex() throws IOException {
        List<String> index = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(index::add);
            }
        }
        for (ComponentFactory<?, ?> factory : FACTORIES) {
            assertThat(factory.getClass().isAnnotationPresent(Extension.class)).isTrue();
            assertThat(index).contains(factory.getClass().getName());
            assertThat(factory.description()).isNotBlank();
        }
        assertThat(FACTORIES).extracting(ComponentFactory::type).containsExactly("zipfit", "self-information");
        assertThat(FACTORIES).extracting(ComponentFactory::kind).containsOnly(ComponentKind.COMPRESSOR);
    }

    @Test
    void everyOptionIsDocumented() {
        for (ComponentFactory<?, ?> factory : FACTORIES) {
            for (RecordComponent component : factory.configType().getRecordComponents()) {
                Option option = component.getAnnotation(Option.class);
                assertThat(option).as(factory.type() + "." + component.getName()).isNotNull();
                assertThat(option.description()).as(component.getName()).endsWith(".");
            }
        }
        Option model = optionOf(SelfInformationConfig.class, "model");
        assertThat(model.required()).isTrue();
        assertThat(model.reference()).isEqualTo(ComponentKind.MODEL);
        assertThat(optionOf(SelfInformationConfig.class, "unit").defaultValue()).isEqualTo("word");
        assertThat(optionOf(ZipFitConfig.class, "codec").defaultValue()).isEqualTo("gzip");
    }

    @Test
    void selfInformationResolvesItsModelByName() throws SextantException {
        TrigramModel model = new TrigramModel(new ByteTokenizer(), 256, ByteTokenizer.EOS,
                List.of("mia lives in oslo . mia has a cat ."));
        TestContext context = new TestContext("squeeze", Path.of("")).with("story-lm", model);
        Compressor compressor = new SelfInformationFactory().create(new SelfInformationConfig("story-lm", "word", 8,
                null), context);
        assertThat(compressor.compress(new CompressionRequest("mia lives in oslo . mia has a dog .", null,
                Budget.rate(0.5), null)).compressedTokens()).isLessThanOrEqualTo(17);
        assertThatThrownBy(() -> new SelfInformationFactory().create(new SelfInformationConfig("missing", "word", 8,
                null), context)).isInstanceOf(ConfigException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> new SelfInformationFactory().create(new SelfInformationConfig(null, "word", 8, null),
                context)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("model"));
        TestContext notAModel = new TestContext("squeeze", Path.of("")).with("story-lm", "a string");
        assertThatThrownBy(() -> new SelfInformationFactory().create(new SelfInformationConfig("story-lm", "word", 8,
                null), notAModel)).isInstanceOf(ConfigException.class);
    }

    @Test
    void zipfitIsCreatedFromItsConfigAndClosable() throws Exception {
        Selector selector = new ZipFitFactory().create(new ZipFitConfig("zstd", 5, 1, null, 2, 4),
                new TestContext("pick", Path.of("")));
        assertThat(selector).isInstanceOf(AutoCloseable.class);
        assertThat(selector.select(new SelectionRequest(List.of("mia lives in oslo ."), List.of("{\"a\": 1}",
                "tom lives in oslo ."), null, null, null)).selected()).extracting(s -> s.index()).containsExactly(1);
        ((AutoCloseable) selector).close();
    }

    private static Option optionOf(Class<? extends Record> type, String name) {
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return component.getAnnotation(Option.class);
            }
        }
        throw new AssertionError("no option " + name);
    }
}
