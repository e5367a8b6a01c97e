package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.Option;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.LogitsProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class FactoriesTest {

    private static final List<ComponentFactory<?, ?>> FACTORIES = List.of(new GreedyDecoderFactory(),
            new SamplingDecoderFactory(), new RepetitionPenaltyFactory(), new NoRepeatNGramFactory(),
            new BannedWordsFactory(), new BeamDecoderFactory(), new DiverseBeamDecoderFactory(),
            new PromptLookupDecoderFactory(), new SpeculativeDecoderFactory(), new ExactExtractDecoderFactory());

    private static void assertConfigError(ThrowingCallable create, String key, String message) {
        assertThatThrownBy(create).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo(key)).hasMessageContaining(message);
    }

    private static Decoder sample(double temperature, int topK, double topP, double minP) throws ConfigException {
        return new SamplingDecoderFactory().create(new SamplingConfig(temperature, topK, topP, minP, 0), null);
    }

    @Test
    void everyFactoryIsAnExtensionListedInThePluginIndex() throws IOException {
        // The test classes have an index of their own (empty); the plugin's is the one with entries.
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
        }
        assertThat(index).hasSize(FACTORIES.size());
    }

    @Test
    void typesAreTheDocumentedNamesOfTheRightKinds() {
        assertThat(FACTORIES).extracting(ComponentFactory::type)
                .containsExactly("greedy", "sample", "repetition-penalty", "no-repeat-ngram", "banned-words", "beam",
                        "diverse-beam", "prompt-lookup", "speculative", "exact-extract");
        assertThat(FACTORIES).extracting(ComponentFactory::kind).containsExactly(ComponentKind.DECODER,
                ComponentKind.DECODER, ComponentKind.PROCESSOR, ComponentKind.PROCESSOR, ComponentKind.PROCESSOR,
                ComponentKind.DECODER, ComponentKind.DECODER, ComponentKind.DECODER, ComponentKind.DECODER,
                ComponentKind.DECODER);
        assertThat(FACTORIES).allSatisfy(f -> assertThat(f.description()).endsWith("."));
    }

    @Test
    void everyOptionIsDocumentedAndItsDefaultIsWithinItsRange() {
        for (ComponentFactory<?, ?> factory : FACTORIES) {
            for (RecordComponent component : factory.configType().getRecordComponents()) {
                Option option = component.getAnnotation(Option.class);
                assertThat(option).as("%s.%s has @Option", factory.type(), component.getName()).isNotNull();
                assertThat(option.description()).endsWith(".");
                if (!Option.NO_DEFAULT.equals(option.defaultValue()) && component.getType() != List.class
                        && !component.getType().isEnum() && component.getType() != String.class
                        && component.getType() != boolean.class) {
                    double value = Double.parseDouble(option.defaultValue());
                    assertThat(value).as("default of %s.%s", factory.type(), component.getName())
                            .isBetween(option.min(), option.max());
                }
            }
        }
    }

    @Test
    void theDefaultsOfSampleAreValid() throws ConfigException {
        assertThat(sample(1.0, 0, 1.0, 0)).isInstanceOf(SamplingDecoder.class);
    }

    @Test
    void temperatureZeroPointsToGreedy() {
        assertConfigError(() -> sample(0, 0, 1, 0), "temperature",
                "temperature 0 is greedy: use type: greedy, or set temperature > 0");
        assertConfigError(() -> sample(-0.5, 0, 1, 0), "temperature", "must be a number > 0");
        assertConfigError(() -> sample(Double.NaN, 0, 1, 0), "temperature", "must be a number > 0");
    }

    @Test
    void impossibleSamplingSettingsSayHowToFixThem() {
        assertConfigError(() -> sample(1, -1, 1, 0), "top-k", "0 turns it off");
        assertConfigError(() -> sample(1, 0, 0, 0), "top-p", "top-p 0 keeps no token");
        assertConfigError(() -> sample(1, 0, 1.5, 0), "top-p", "must be in (0, 1]");
        assertConfigError(() -> sample(1, 0, 1, -0.1), "min-p", "must be in [0, 1]");
        assertConfigError(() -> sample(1, 0, 1, 2), "min-p", "0 turns it off");
    }

    @Test
    void processorSettingsAreChecked() throws ConfigException {
        assertConfigError(() -> new RepetitionPenaltyFactory().create(new RepetitionPenaltyConfig(0), null), "penalty",
                "penalty must be a number > 0");
        assertConfigError(() -> new NoRepeatNGramFactory().create(new NoRepeatNGramConfig(0), null), "size",
                "size must be >= 1");
        assertConfigError(() -> new BannedWordsFactory().create(new BannedWordsConfig(List.of()), null), "words",
                "words is empty");
        assertConfigError(() -> new BannedWordsFactory().create(new BannedWordsConfig(List.of("a", " ")), null),
                "words", "word 2 of words is empty");
        LogitsProcessor penalty = new RepetitionPenaltyFactory().create(new RepetitionPenaltyConfig(1.2), null);
        assertThat(penalty).hasToString("repetition-penalty(1.2)");
        assertThat(new GreedyDecoderFactory().create(new GreedyConfig(), null)).isInstanceOf(GreedyDecoder.class);
    }

    @Test
    void impossibleBeamSettingsNameTheirKey() {
        BeamDecoderFactory beam = new BeamDecoderFactory();
        DiverseBeamDecoderFactory diverse = new DiverseBeamDecoderFactory();
        assertConfigError(() -> beam.create(new BeamConfig(0, 1, EarlyStopping.FALSE, 1), null), "num-beams",
                "num-beams must be >= 1, got 0");
        assertConfigError(() -> beam.create(new BeamConfig(2, 1, EarlyStopping.FALSE, 3), null),
                "num-return-sequences", "raise num-beams to at least 3");
        assertConfigError(() -> beam.create(new BeamConfig(2, Double.NaN, EarlyStopping.FALSE, 1), null),
                "length-penalty", "finite");
        assertConfigError(() -> diverse.create(new DiverseBeamConfig(4, 3, 0.5, 1, EarlyStopping.FALSE, 1), null),
                "num-beam-groups", "must divide num-beams (4)");
        assertConfigError(() -> diverse.create(new DiverseBeamConfig(2, 4, 0.5, 1, EarlyStopping.FALSE, 1), null),
                "num-beam-groups", "must divide");
        assertConfigError(() -> diverse.create(new DiverseBeamConfig(0, 1, 0.5, 1, EarlyStopping.FALSE, 1), null),
                "num-beams", "num-beams must be >= 1");
        assertConfigError(() -> diverse.create(new DiverseBeamConfig(4, 2, -1, 1, EarlyStopping.FALSE, 1), null),
                "diversity-penalty", ">= 0");
        assertConfigError(() -> diverse.create(new DiverseBeamConfig(4, 2, 0.5, 1, EarlyStopping.FALSE, 5), null),
                "num-return-sequences", "lower num-return-sequences");
    }

    @Test
    void theDefaultsOfTheBeamDecodersAreValid() throws ConfigException {
        assertThat(new BeamDecoderFactory().create(new BeamConfig(4, 1.0, EarlyStopping.FALSE, 1), null))
                .hasToString("beam(4, length-penalty=1.0, early-stopping=false, num-return-sequences=1)");
        assertThat(new DiverseBeamDecoderFactory().create(new DiverseBeamConfig(4, 2, 0.5, 1.0, null, 1), null))
                .isInstanceOf(BeamSearchDecoder.class);
    }

    @Test
    void impossiblePromptLookupSettingsNameTheirKey() throws ConfigException {
        PromptLookupDecoderFactory factory = new PromptLookupDecoderFactory();
        assertConfigError(() -> factory.create(new PromptLookupConfig(0, 1, 10, true), null), "max-ngram", ">= 1");
        assertConfigError(() -> factory.create(new PromptLookupConfig(3, 0, 10, true), null), "min-ngram", ">= 1");
        assertConfigError(() -> factory.create(new PromptLookupConfig(2, 3, 10, true), null), "min-ngram",
                "larger than max-ngram");
        assertConfigError(() -> factory.create(new PromptLookupConfig(3, 1, 0, true), null), "num-draft-tokens",
                "use type: greedy");
        assertThat(factory.create(new PromptLookupConfig(3, 1, 10, true), null))
                .hasToString("prompt-lookup(max-ngram=3, min-ngram=1, num-draft-tokens=10, realign=true)");
    }
}
