package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.constraint.AlignedConstraintProcessor;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintProcessor;
import dev.sextant.spi.constraint.ExpectedFutures;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.TextListConstraint;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Grammar-aligned sampling through the real decoders: what a pipeline with a constraint gets. */
class AlignedSamplingTest {

    /** Masking's trap: "a" is likely, but "b" after it is not; only "ab" and "c" are allowed. */
    private static final Map<String, Map<Character, Double>> TRAP = Map.of(
            "", Map.of('a', 0.9, 'c', 0.1),
            "a", Map.of('b', 0.01, 'x', 0.99),
            "ab", Map.of('$', 1.0),
            "c", Map.of('$', 1.0));
    private static final double ALIGNED_AB = 0.009 / 0.109;
    private static final int GENERATIONS = 3000;
    /** About 4.5 standard deviations of a frequency over {@link #GENERATIONS} draws. */
    private static final double TOLERANCE = 0.025;

    private static final Constraint AB_OR_C = new TextListConstraint(TextListConstraint.byteVocabulary(), "ab", "c");

    /** A processor component, as a pipeline holds it: each generation gets a fresh processor. */
    private static LogitsProcessor component(Function<ModelInfo, LogitsProcessor> perGeneration) {
        return new LogitsProcessor() {
            @Override
            public LogitsProcessor prepare(Tokenizer tokenizer, ModelInfo model) {
                return perGeneration.apply(model);
            }

            @Override
            public void process(int row, int[] tokens, int promptLength, float[] scores) {
                throw new IllegalStateException("prepare first");
            }
        };
    }

    /** How often each generation of the same prompt (a new seed each) writes "ab", past the first 100. */
    private static double frequencyOfAb(Decoder decoder, LogitsProcessor processor) throws SextantException {
        TestLm model = TestLm.probabilities(TRAP);
        int ab = 0;
        for (int i = 0; i < GENERATIONS; i++) {
            GenerationRequest request = new GenerationRequest(List.of("q"), 5, List.of(), List.of(processor),
                    (long) i, RunLimits.DEFAULT, false);
            String text = decoder.generate(model, request, TokenListener.NONE).sequences().get(0).text();
            assertThat(text).isIn("ab", "c");
            if (i >= 100 && text.equals("ab")) {
                ab++;
            }
        }
        return ab / (double) (GENERATIONS - 100);
    }

    private static SamplingDecoder sampler() throws ConfigException {
        return (SamplingDecoder) new SamplingDecoderFactory().create(new SamplingConfig(1.0, 0, 1.0, 0, 0), null);
    }

    @Test
    void samplingWithAnAlignedConstraintWritesWhatTheModelWouldWithinTheConstraint() throws SextantException {
        ExpectedFutures futures = new ExpectedFutures();
        LogitsProcessor aligned = component(model -> new AlignedConstraintProcessor(AB_OR_C, futures, model));
        LogitsProcessor masked = component(model -> new ConstraintProcessor(AB_OR_C));

        assertThat(frequencyOfAb(sampler(), aligned)).isCloseTo(ALIGNED_AB, within(TOLERANCE));
        assertThat(frequencyOfAb(sampler(), masked)).isCloseTo(0.9, within(TOLERANCE));
        assertThat(futures.prompts()).isEqualTo(1);
    }

    @Test
    void speculativeSamplingWithAnAlignedConstraintWritesOnlyAllowedTextsAndIsAlignedToo() throws SextantException {
        ExpectedFutures futures = new ExpectedFutures();
        LogitsProcessor aligned = component(model -> new AlignedConstraintProcessor(AB_OR_C, futures, model));
        // a draft that proposes a, b and c alike: rejected drafts rewind the rows
        TestLm draft = new TestLm(1024, (tokens, promptLength) -> Generate.only('a', 0f, 'b', 0f, 'c', 0f));
        SpeculativeDecoder decoder = new SpeculativeDecoder(draft, "draft", 3, false, 0, true, List.of(), 0);

        assertThat(frequencyOfAb(decoder, aligned)).isCloseTo(ALIGNED_AB, within(TOLERANCE));
    }
}
