package dev.sextant.plugins.compressors;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.TokenClassifier;
import dev.sextant.spi.model.TokenLabels;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in token classifier whose keep scores are random: one seeded draw per word, from the seed,
 * the text and the word's index, so that {@code random-drop} reuses llmlingua2's word handling and
 * rate control and differs from it only in the scores. The floor any real compressor must beat.
 */
final class RandomDropScores implements TokenClassifier {

    /** Chunk length for llmlingua2's chunker: any size works, the scores need no model. */
    static final int MAX_LENGTH = 512;

    private final Tokenizer tokenizer;
    private final long seed;

    RandomDropScores(Tokenizer tokenizer, long seed) {
        this.tokenizer = tokenizer;
        this.seed = seed;
    }

    @Override
    public List<String> labels() {
        return List.of("drop", "keep");
    }

    @Override
    public int maxLength() {
        return MAX_LENGTH;
    }

    @Override
    public List<TokenLabels> classify(List<String> texts, RunLimits limits) {
        List<TokenLabels> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            Encoding encoding = tokenizer.encode(text, true);
            float[][] probabilities = new float[encoding.size()][];
            long textSeed = mix(seed ^ text.hashCode());
            for (int t = 0; t < encoding.size(); t++) {
                int word = encoding.wordIds()[t];
                float keep = word < 0 ? 1f : (mix(textSeed + word) >>> 40) / (float) (1L << 24);
                probabilities[t] = new float[] {1 - keep, keep};
            }
            out.add(new TokenLabels(encoding, probabilities));
        }
        return out;
    }

    /** SplitMix64's finaliser: a well-spread 64-bit value from any input. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("random-scores", "none", 0, MAX_LENGTH, Set.of(), -1, -1,
                Map.of("seed", Long.toString(seed)));
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
    }
}
