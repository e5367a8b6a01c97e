package dev.sextant.plugins.compressors;

import dev.sextant.spi.InputException;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.DecodingState;
import dev.sextant.spi.model.LanguageModel;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small real language model for tests: an interpolated token trigram model counted from training
 * texts, over any tokenizer. It implements only the scoring call ({@link #logProbabilities}), checks
 * sequence lengths as a real model does, and records every call.
 */
final class TrigramModel implements LanguageModel {

    private static final double L3 = 0.6;
    private static final double L2 = 0.3;
    private static final double L1 = 0.1;
    private static final int VOCAB = 65536;

    /** The sequences of every scoring call, in call order. */
    final List<List<int[]>> calls = Collections.synchronizedList(new ArrayList<>());

    private final Tokenizer tokenizer;
    private final ModelInfo info;
    private final Map<Long, Integer> unigrams = new HashMap<>();
    private final Map<Long, Integer> bigrams = new HashMap<>();
    private final Map<Long, Integer> trigrams = new HashMap<>();
    private long total;

    /**
     * @param bos the BOS id put before each training text and reported in {@link #info()}, or -1
     *     for none
     */
    TrigramModel(Tokenizer tokenizer, int maxPositions, int bos, List<String> training) {
        this.tokenizer = tokenizer;
        this.info = new ModelInfo("trigram", "test", VOCAB, maxPositions, Set.of(), bos, -1, Map.of());
        for (String text : training) {
            int[] ids = tokenizer.encode(text, false).ids();
            int a = bos;
            int b = bos;
            for (int c : ids) {
                unigrams.merge((long) c, 1, Integer::sum);
                total++;
                if (b >= 0) {
                    bigrams.merge(key(b, c), 1, Integer::sum);
                }
                if (a >= 0 && b >= 0) {
                    trigrams.merge(key(key(a, b), c), 1, Integer::sum);
                }
                a = b;
                b = c;
            }
        }
    }

    private static long key(long a, long b) {
        return a * 1_000_003L + b;
    }

    /** {@code ln p(c | a, b)}; {@code a} may be -1 (only one token of history). */
    double logProbability(int a, int b, int c) {
        double p1 = (unigrams.getOrDefault((long) c, 0) + 1.0) / (total + VOCAB);
        int cb = unigrams.getOrDefault((long) b, 0);
        double p2 = cb == 0 ? p1 : bigrams.getOrDefault(key(b, c), 0) / (double) cb;
        double p3 = p2;
        if (a >= 0) {
            int cab = bigrams.getOrDefault(key(a, b), 0);
            if (cab > 0) {
                p3 = trigrams.getOrDefault(key(key(a, b), c), 0) / (double) cab;
            }
        }
        return Math.log(L3 * p3 + L2 * p2 + L1 * p1);
    }

    @Override
    public float[][] logProbabilities(List<int[]> sequences, RunLimits limits) throws InputException {
        calls.add(List.copyOf(sequences));
        float[][] out = new float[sequences.size()][];
        for (int s = 0; s < out.length; s++) {
            int[] seq = sequences.get(s);
            limits.checkInputLength("sequence " + (s + 1), seq.length);
            if (seq.length > info.maxPositions()) {
                throw new InputException("sequence " + (s + 1) + " has " + seq.length + " tokens, but model 'trigram'"
                        + " reads at most " + info.maxPositions());
            }
            out[s] = new float[seq.length];
            for (int t = 0; t < seq.length; t++) {
                out[s][t] = t == 0 ? Float.NaN : (float) logProbability(t >= 2 ? seq[t - 2] : -1, seq[t - 1], seq[t]);
            }
        }
        return out;
    }

    @Override
    public DecodingState start(List<int[]> prompts, RunLimits limits) {
        throw new UnsupportedOperationException("the trigram test model only scores");
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
    }
}
