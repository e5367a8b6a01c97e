package com.example.sextant.typical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.decode.Decoder;
import dev.sextant.spi.decode.GenerationRequest;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.RunLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TypicalDecoderTest {

    /** One likely token (0.4) and ten unlikely ones (0.06 each): the entropy is about 2.05 nats. */
    private static final float[] PEAKED = logProbs(0.4, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06);

    private static float[] logProbs(double... probabilities) {
        float[] scores = new float[probabilities.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) Math.log(probabilities[i]);
        }
        return scores;
    }

    private static int[] kept(float[] scores, double mass) {
        float[] copy = scores.clone();
        TypicalDecoder.keepTypical(copy, mass);
        return IntStream.range(0, copy.length).filter(i -> copy[i] > Float.NEGATIVE_INFINITY).toArray();
    }

    private static Decoder typical(double mass, double temperature, long seed) throws ConfigException {
        return new TypicalDecoderFactory().create(new TypicalConfig(mass, temperature, seed), null);
    }

    /** A model over the alphabet whose logits are a pseudo-random function of the history. */
    private static TinyModel hashedModel() {
        return new TinyModel(tokens -> {
            SplittableRandom random = new SplittableRandom(java.util.Arrays.hashCode(tokens));
            float[] scores = new float[TinyModel.VOCAB];
            for (int i = 1; i < scores.length; i++) {
                scores[i] = (float) (3 * random.nextGaussian());
            }
            scores[TinyModel.EOS] = Float.NEGATIVE_INFINITY;
            return scores;
        });
    }

    private static String generate(Decoder decoder, Long seed) throws SextantException {
        GenerationRequest request = new GenerationRequest(List.of("abc"), 30, List.of(), List.of(), seed,
                RunLimits.DEFAULT);
        return decoder.generate(hashedModel(), request, TokenListener.NONE).sequences().get(0).text();
    }

    @Test
    void dropsTheMostLikelyTokenWhenItIsFarLessSurprisingThanTypical() {
        // -log 0.4 = 0.92 is 1.14 from the entropy; -log 0.06 = 2.81 only 0.76. The ten unlikely
        // tokens are the typical ones, and together (0.6) they hold more than 0.5.
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, kept(PEAKED, 0.5));
    }

    @Test
    void addsLessTypicalTokensUntilTheMassIsReached() {
        assertArrayEquals(IntStream.range(0, 11).toArray(), kept(PEAKED, 0.7));
    }

    @Test
    void keepsTheClosestTokensFirst() {
        // Entropy of (0.5, 0.3, 0.15, 0.05) is 1.14; surprises are 0.69, 1.20, 1.90, 3.00: token 1
        // is the most typical, then token 0, then 2, then 3.
        float[] scores = logProbs(0.5, 0.3, 0.15, 0.05);
        assertArrayEquals(new int[] {1}, kept(scores, 0.2));
        assertArrayEquals(new int[] {0, 1}, kept(scores, 0.75));
        assertArrayEquals(new int[] {0, 1, 2}, kept(scores, 0.9));
        assertArrayEquals(new int[] {0, 1, 2, 3}, kept(scores, 0.99));
    }

    @Test
    void drawsFromTheTypicalSetInItsRelativeProportions() throws ConfigException {
        TypicalDecoder decoder = (TypicalDecoder) typical(0.75, 1.0, 0);
        float[] scores = logProbs(0.5, 0.3, 0.15, 0.05);
        SplittableRandom random = new SplittableRandom(11);
        int draws = 20_000;
        int[] counts = new int[4];
        for (int i = 0; i < draws; i++) {
            counts[decoder.choose(scores.clone(), random)]++;
        }
        assertEquals(0.5 / 0.8, counts[0] / (double) draws, 0.015);
        assertEquals(0.3 / 0.8, counts[1] / (double) draws, 0.015);
        assertEquals(0, counts[2] + counts[3]);
    }

    @Test
    void theSameSeedGivesTheSameTextAndAnotherSeedAnother() throws SextantException {
        Decoder decoder = typical(0.9, 1.0, 0);

        String first = generate(decoder, 7L);

        assertEquals(first, generate(decoder, 7L));
        assertNotEquals(first, generate(decoder, 8L));
        assertEquals(30, first.length());
    }

    @Test
    void theConfiguredSeedIsUsedWhenTheRequestHasNone() throws SextantException {
        assertEquals(generate(typical(0.9, 1.0, 5), null), generate(typical(0.9, 1.0, 0), 5L));
    }

    @Test
    void refusesImpossibleSettingsWithTheFix() {
        ConfigException mass = assertThrows(ConfigException.class, () -> typical(0, 1.0, 0));
        assertEquals("mass", mass.key());
        ConfigException temperature = assertThrows(ConfigException.class, () -> typical(0.9, 0, 0));
        assertEquals("temperature 0 is greedy: use type: greedy, or set temperature > 0", temperature.getMessage());
    }

    @Test
    void theFactoryIsListedInThePluginsExtensionIndex() throws IOException {
        StringBuilder index = new StringBuilder();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                index.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(index.toString().contains(TypicalDecoderFactory.class.getName()), index.toString());
    }
}
