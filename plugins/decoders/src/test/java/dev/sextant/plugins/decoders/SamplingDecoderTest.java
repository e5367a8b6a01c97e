package dev.sextant.plugins.decoders;

import dev.sextant.spi.testing.ScriptedModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.LogitsProcessor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplingDecoderTest {

    private static final float[] LOGITS = {2f, 1f, 0.5f, 0f, -1f};
    private static final int DRAWS = 20_000;
    /** About four standard deviations of a frequency estimated from {@link #DRAWS} draws. */
    private static final double TOLERANCE = 0.015;

    private static SamplingDecoder sampler(double temperature, int topK, double topP, double minP, long seed)
            throws ConfigException {
        return (SamplingDecoder) new SamplingDecoderFactory()
                .create(new SamplingConfig(temperature, topK, topP, minP, seed), null);
    }

    private static SamplingDecoder sampler() throws ConfigException {
        return sampler(1.0, 0, 1.0, 0, 0);
    }

    private static double[] frequencies(SamplingDecoder decoder, float[] logits) {
        SplittableRandom random = new SplittableRandom(42);
        double[] counts = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[decoder.choose(logits.clone(), random)]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= DRAWS;
        }
        return counts;
    }

    /** softmax(logits / temperature) over the ids in {@code kept}, 0 elsewhere. */
    private static double[] softmax(float[] logits, double temperature, int... kept) {
        double[] p = new double[logits.length];
        double total = 0;
        for (int id : kept) {
            p[id] = Math.exp(logits[id] / temperature);
            total += p[id];
        }
        for (int id : kept) {
            p[id] /= total;
        }
        return p;
    }

    private static float[] logProbs(double... probabilities) {
        float[] scores = new float[probabilities.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) Math.log(probabilities[i]);
        }
        return scores;
    }

    /** The ids a warper leaves above -Infinity. */
    private static int[] kept(LogitsWarper warper, float[] scores) {
        float[] warped = scores.clone();
        warper.warp(warped);
        return java.util.stream.IntStream.range(0, warped.length)
                .filter(i -> warped[i] > Float.NEGATIVE_INFINITY).toArray();
    }

    private static void assertClose(double[] actual, double[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("frequency of token %d", i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    @Test
    void drawsTokensAsOftenAsTheModelsProbabilities() throws ConfigException {
        assertClose(frequencies(sampler(), LOGITS), softmax(LOGITS, 1.0, 0, 1, 2, 3, 4));
    }

    @Test
    void temperatureSharpensOrFlattensTheDistribution() throws ConfigException {
        assertClose(frequencies(sampler(0.5, 0, 1, 0, 0), LOGITS), softmax(LOGITS, 0.5, 0, 1, 2, 3, 4));
        assertClose(frequencies(sampler(2.0, 0, 1, 0, 0), LOGITS), softmax(LOGITS, 2.0, 0, 1, 2, 3, 4));
    }

    @Test
    void topKSamplesOnlyTheKMostLikelyInTheirRelativeProportions() throws ConfigException {
        assertClose(frequencies(sampler(1, 2, 1, 0, 0), LOGITS), softmax(LOGITS, 1.0, 0, 1));
    }

    @Test
    void topKKeepsTokensTiedWithTheKth() {
        assertThat(kept(new TopKWarper(2), new float[] {1f, 3f, 1f, 0f, 1f})).containsExactly(0, 1, 2, 4);
    }

    @Test
    void topKOfOneIsGreedy() throws SextantException {
        ScriptedModel model = Generate.hashed();
        String greedy = Generate.text(new GreedyDecoder(), model, "x", 30, null);

        for (long seed = 1; seed <= 3; seed++) {
            assertThat(Generate.text(sampler(1, 1, 1, 0, 0), model, "x", 30, seed)).isEqualTo(greedy);
            assertThat(Generate.text(sampler(1.7, 1, 1, 0, 0), model, "x", 30, seed)).isEqualTo(greedy);
        }
    }

    @Test
    void topPKeepsTheSmallestMostLikelySetWithAtLeastThatMass() {
        float[] scores = logProbs(0.05, 0.5, 0.15, 0.3);

        assertThat(kept(new TopPWarper(0.4), scores)).containsExactly(1);
        assertThat(kept(new TopPWarper(0.75), scores)).containsExactly(1, 3);
        assertThat(kept(new TopPWarper(0.85), scores)).containsExactly(1, 2, 3);
        assertThat(kept(new TopPWarper(0.99), scores)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void topPKeepsAMinimalPrefixOnRandomDistributions() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            float[] scores = new float[20];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) (4 * random.nextGaussian());
            }
            double p = 0.05 + 0.9 * random.nextDouble();
            int[] order = Scores.idsByScoreDescending(scores);
            double[] probs = Scores.probabilities(scores, order);
            int[] kept = kept(new TopPWarper(p), scores);

            double mass = 0;
            for (int j = 0; j < kept.length; j++) {
                mass += probs[j];
            }
            assertThat(kept).as("the kept tokens are the most likely ones")
                    .containsExactlyInAnyOrder(Arrays.copyOf(order, kept.length));
            assertThat(mass).isGreaterThanOrEqualTo(p);
            assertThat(mass - probs[kept.length - 1]).as("without its least likely token the set is too small")
                    .isLessThan(p);
        }
    }

    @Test
    void topPSamplesTheNucleusInItsRelativeProportions() throws ConfigException {
        float[] scores = logProbs(0.5, 0.3, 0.15, 0.05);
        double[] expected = {0.5 / 0.8, 0.3 / 0.8, 0, 0};

        assertClose(frequencies(sampler(1, 0, 0.75, 0, 0), scores), expected);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        float[] scores = logProbs(0.5, 0.3, 0.15, 0.05);

        assertThat(kept(new MinPWarper(0.2), scores)).containsExactly(0, 1, 2);
        assertThat(kept(new MinPWarper(0.5), scores)).containsExactly(0, 1);
        assertThat(kept(new MinPWarper(0.7), scores)).containsExactly(0);
        assertThat(kept(new MinPWarper(1.0), new float[] {2f, 2f, 1f})).containsExactly(0, 1);
    }

    @Test
    void warpersRunInHuggingFaceOrder() throws ConfigException {
        assertThat(SamplingDecoderFactory.warpers(new SamplingConfig(0.7, 40, 0.9, 0.05, 0)))
                .extracting(w -> w.getClass().getSimpleName())
                .containsExactly("TemperatureWarper", "TopKWarper", "TopPWarper", "MinPWarper");
        assertThat(SamplingDecoderFactory.warpers(new SamplingConfig(1.0, 0, 1.0, 0, 0))).isEmpty();
    }

    @Test
    void temperatureAppliesBeforeTopP() throws ConfigException {
        // At temperature 10 the four tokens are nearly equally likely (.28 .27 .25 .20), so a 0.75
        // nucleus needs three of them; top-p on the raw distribution would keep two.
        double[] frequencies = frequencies(sampler(10, 0, 0.75, 0, 0), logProbs(0.5, 0.3, 0.15, 0.05));

        assertThat(frequencies[2]).isGreaterThan(0.2);
        assertThat(frequencies[3]).isZero();
    }

    @Test
    void theSameSeedGivesTheSameTextAndOtherSeedsOtherTexts() throws SextantException {
        ScriptedModel model = Generate.hashed();
        SamplingDecoder decoder = sampler(1.0, 0, 0.95, 0, 0);

        String first = Generate.text(decoder, model, "x", 40, 7L);

        assertThat(Generate.text(decoder, model, "x", 40, 7L)).isEqualTo(first);
        assertThat(Generate.text(sampler(1.0, 0, 0.95, 0, 0), model, "x", 40, 7L)).isEqualTo(first);
        assertThat(Generate.text(decoder, model, "x", 40, 8L)).isNotEqualTo(first);
        assertThat(Generate.text(decoder, model, "x", 40, 9L)).isNotEqualTo(first);
    }

    @Test
    void aRequestSeedOverridesTheConfiguredSeed() throws SextantException {
        ScriptedModel model = Generate.hashed();

        String configured = Generate.text(sampler(1, 0, 1, 0, 5), model, "x", 40, null);

        assertThat(Generate.text(sampler(1, 0, 1, 0, 0), model, "x", 40, 5L)).isEqualTo(configured);
        assertThat(Generate.text(sampler(1, 0, 1, 0, 5), model, "x", 40, 6L)).isNotEqualTo(configured);
    }

    @Test
    void refusesScoresWithNothingToSample() throws ConfigException {
        float[] none = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};

        assertThatThrownBy(() -> sampler().choose(none, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to sample");
    }

    @Test
    void processorsThatBanEverythingEndTheRequestWithAnInputError() throws ConfigException {
        LogitsProcessor banAll = (row, tokens, promptLength, scores) -> Arrays.fill(scores, Float.NEGATIVE_INFINITY);

        assertThatThrownBy(() -> Generate.text(sampler(), Generate.hashed(), "x", 5, 1L, banAll))
                .isInstanceOf(InputException.class).hasMessageContaining("banned every token");
    }

    @Test
    void describesItsSettings() throws ConfigException {
        assertThat(sampler(0.7, 40, 0.9, 0, 3)).hasToString("sample(temperature=0.7, top-k=40, top-p=0.9, seed=3)");
    }
}
