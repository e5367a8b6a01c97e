package dev.sextant.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.Generation;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.LogitsProcessor;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.testing.ByteTokenizer;
import dev.sextant.spi.testing.TestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeculativeDecoderTest {

    /** The target: first token a/b/c with 0.5/0.3/0.2, the second depends on the first, then EOS. */
    static final Map<String, Map<Character, Double>> TARGET = Map.of(
            "", Map.of('a', 0.5, 'b', 0.3, 'c', 0.2),
            "a", Map.of('a', 0.1, 'b', 0.6, 'c', 0.3),
            "b", Map.of('a', 0.4, 'b', 0.4, 'c', 0.2),
            "c", Map.of('a', 0.7, 'b', 0.1, 'c', 0.2));

    /** A draft that disagrees: uniform over a, b, c at every step, never EOS. */
    static TestLm uniformDraft() {
        return new TestLm(1024, (tokens, promptLength) -> Generate.only('a', 0f, 'b', 0f, 'c', 0f));
    }

    static SpeculativeDecoder speculative(TestLm draft, int tokens, boolean adaptive, boolean sample,
            double temperature) throws ConfigException {
        return speculative(draft, tokens, adaptive, 0, sample, temperature);
    }

    static SpeculativeDecoder speculative(TestLm draft, int tokens, boolean adaptive, double confidenceThreshold,
            boolean sample, double temperature) throws ConfigException {
        List<LogitsWarper> warpers = sample && temperature != 1 ? List.of(new TemperatureWarper(temperature))
                : List.of();
        return new SpeculativeDecoder(draft, "draft", tokens, adaptive, confidenceThreshold, sample, warpers, 0);
    }

    @Test
    void anUnsureDraftStopsProposingAtTheConfidenceThresholdAndTheTextStaysGreedys() throws SextantException {
        TestLm target = TestLm.hashed(1024, 3.0);
        List<String> prompts = List.of("mia lives in", "once upon a time", "tom has a red");
        Generation greedy = BeamSearchDecoderTest.run(new GreedyDecoder(), target, prompts, 30, List.of());
        TestLm always = uniformDraft();
        TestLm unsure = uniformDraft();

        Generation full = BeamSearchDecoderTest.run(speculative(always, 4, false, 0, false, 1), target, prompts, 30,
                List.of());
        Generation stopped = BeamSearchDecoderTest.run(speculative(unsure, 4, false, 0.4, false, 1), target, prompts,
                30, List.of());

        for (int p = 0; p < prompts.size(); p++) {
            BeamSearchDecoderTest.assertSameSequence(full.sequences().get(p), greedy.sequences().get(p));
            BeamSearchDecoderTest.assertSameSequence(stopped.sequences().get(p), greedy.sequences().get(p));
        }
        // the uniform draft gives each of its tokens 1/3, below 0.4: one proposal per step instead of four
        assertThat(stopped.metrics().get("drafted_tokens")).isLessThan(full.metrics().get("drafted_tokens"));
        assertThat(unsure.calls).isLessThan(always.calls / 2);
    }

    @Test
    void greedyWithItselfAsDraftAcceptsEverythingAndIsGreedy() throws SextantException {
        TestLm target = TestLm.hashed(1024, 3.0);
        TestLm draft = TestLm.hashed(1024, 3.0);
        List<String> prompts = List.of("once", "the dog", "q");
        Generation greedy = BeamSearchDecoderTest.run(new GreedyDecoder(), target, prompts, 40, List.of());
        Generation spec = BeamSearchDecoderTest.run(speculative(draft, 4, true, false, 1), target, prompts, 40,
                List.of());

        for (int p = 0; p < prompts.size(); p++) {
            BeamSearchDecoderTest.assertSameSequence(spec.sequences().get(p), greedy.sequences().get(p));
        }
        assertThat(spec.metrics().get("acceptance_rate")).isEqualTo(1.0);
        assertThat(spec.metrics().get("model_calls")).isLessThan(spec.metrics().get("generated_tokens") / 3);
    }

    @Test
    void greedyWithADifferentDraftIsStillGreedyAndRewindsBothStates() throws SextantException {
        TestLm target = TestLm.hashed(1024, 2.0);
        // the draft agrees with the target on some steps only: its logits are the target's plus noise
        TestLm noisy = new TestLm(1024, (tokens, promptLength) -> {
            float[] scores = TestLm.hashed(1024, 2.0).start(List.of(tokens), RunLimits.DEFAULT).logits(0);
            scores['e'] += 1.2f;
            return scores;
        });
        List<String> prompts = List.of("once", "the dog", "q", "mia lives");
        LogitsProcessor[][] processorSets = {{}, {new RepetitionPenaltyProcessor(1.2), new NoRepeatNGramProcessor(2)}};
        for (LogitsProcessor[] processors : processorSets) {
            for (boolean adaptive : new boolean[] {false, true}) {
                Generation greedy = BeamSearchDecoderTest.run(new GreedyDecoder(), target, prompts, 40, List.of(" e"),
                        processors);
                Generation spec = BeamSearchDecoderTest.run(speculative(noisy, 3, adaptive, false, 1), target,
                        prompts, 40, List.of(" e"), processors);
                for (int p = 0; p < prompts.size(); p++) {
                    BeamSearchDecoderTest.assertSameSequence(spec.sequences().get(p), greedy.sequences().get(p));
                }
                assertThat(spec.metrics().get("acceptance_rate")).isStrictlyBetween(0.0, 1.0);
            }
        }
        assertThat(target.rewinds).isPositive();
        assertThat(noisy.rewinds).isPositive();
        assertThat(noisy.closes).isEqualTo(noisy.starts);
    }

    @Test
    void samplingKeepsTheTargetsDistribution() throws SextantException {
        TestLm target = TestLm.probabilities(TARGET);
        for (double temperature : new double[] {1.0, 0.7}) {
            Decoder decoder = speculative(uniformDraft(), 2, false, true, temperature);
            int runs = 3000;
            int[] counts = new int[9];
            double acceptance = 0;
            for (int seed = 0; seed < runs; seed++) {
                Generation g = decoder.generate(target, new GenerationRequest(List.of("x"), 3, List.of(), List.of(),
                        (long) seed, RunLimits.DEFAULT), TokenListener.NONE);
                int[] ids = g.sequences().get(0).tokenIds();
                counts[(ids[0] - 'a') * 3 + (ids[1] - 'a')]++;
                acceptance += g.metrics().get("acceptance_rate");
            }
            double chiSquare = 0;
            String letters = "abc";
            for (int i = 0; i < 9; i++) {
                double first = tempered(TARGET.get(""), letters.charAt(i / 3), temperature);
                double second = tempered(TARGET.get(String.valueOf(letters.charAt(i / 3))), letters.charAt(i % 3),
                        temperature);
                double expected = runs * first * second;
                chiSquare += Math.pow(counts[i] - expected, 2) / expected;
            }
            // 8 degrees of freedom: 26.1 is the 0.1% point; seeds are fixed, so this never flakes
            assertThat(chiSquare).as("chi-square at temperature %s, counts %s", temperature,
                    java.util.Arrays.toString(counts)).isLessThan(26.1);
            // the uniform draft is rejected often, so the rejection path is what was tested
            assertThat(acceptance / runs).isStrictlyBetween(0.2, 0.9);
        }
    }

    /** p(c)^(1/T) normalised over the row. */
    private static double tempered(Map<Character, Double> row, char c, double temperature) {
        double total = 0;
        for (double p : row.values()) {
            total += Math.pow(p, 1 / temperature);
        }
        return Math.pow(row.get(c), 1 / temperature) / total;
    }

    @Test
    void aDraftWithAnotherTokenizerIsRefusedNamingTheDraftKey() {
        TestLm target = TestLm.hashed(1024, 2.0);
        TestLm shifted = new TestLm(1024, (t, p) -> new float[ByteTokenizer.VOCAB], new ByteTokenizer() {
            @Override
            public Encoding encode(String text, boolean addSpecialTokens) {
                Encoding e = super.encode(text, addSpecialTokens);
                int[] ids = e.ids();
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = (ids[i] + 1) % 256;
                }
                return new Encoding(ids, e.tokens(), e.starts(), e.ends(), text);
            }
        });
        TestLm bigger = new TestLm(1024, (t, p) -> new float[ByteTokenizer.VOCAB], new ByteTokenizer() {
            @Override
            public int vocabSize() {
                return 300;
            }
        });
        SpeculativeDecoderFactory factory = new SpeculativeDecoderFactory();
        TestContext context = new TestContext("spec", Path.of(".")).with("target", target).with("shifted", shifted)
                .with("bigger", bigger);

        assertThatThrownBy(() -> factory.create(config("shifted", "target"), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("draft"))
                .hasMessageContaining("encodes").hasMessageContaining("differently");
        assertThatThrownBy(() -> factory.create(config("bigger", "target"), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("draft"))
                .hasMessageContaining("vocabulary of 300");
        assertThatThrownBy(() -> factory.create(config("missing", null), context))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("draft"))
                .hasMessageContaining("'missing'");
        // without a target, the check happens at the first generation
        assertThatThrownBy(() -> BeamSearchDecoderTest.run(factory.create(config("shifted", null), context), target,
                "x")).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("draft"));
    }

    @Test
    void impossibleSpeculativeSettingsNameTheirKey() {
        SpeculativeDecoderFactory factory = new SpeculativeDecoderFactory();
        TestContext context = new TestContext("spec", Path.of(".")).with("draft", TestLm.hashed(1024, 1));
        assertThatThrownBy(() -> factory.create(new SpeculativeConfig("draft", null, 0, true, 0.4, false, 1, 0, 1, 0, 0),
                context)).isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("num-draft-tokens"));
        assertThatThrownBy(() -> factory.create(new SpeculativeConfig("draft", null, 4, true, 0.4, true, 0, 0, 1, 0, 0),
                context)).isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("temperature"));
        assertThatThrownBy(() -> factory.create(new SpeculativeConfig(" ", null, 4, true, 0.4, false, 1, 0, 1, 0, 0),
                context)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("draft"));
    }

    private static SpeculativeConfig config(String draft, String target) {
        return new SpeculativeConfig(draft, target, 4, true, 0.4, false, 1.0, 0, 1.0, 0, 0);
    }
}
