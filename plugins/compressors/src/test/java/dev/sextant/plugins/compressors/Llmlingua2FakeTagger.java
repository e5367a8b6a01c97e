package dev.sextant.plugins.compressors;

import dev.sextant.spi.InputException;
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
 * A test token classifier: a token's keep probability is a function of its word and piece, put at the
 * keep label ({@code keep} or {@code LABEL_1}); special tokens get keep probability 1 (so a compressor
 * that failed to skip them would show it). Refuses texts over its window, as a real one does, and
 * records each call.
 */
final class Llmlingua2FakeTagger implements TokenClassifier {

    /** A token's keep probability. */
    @FunctionalInterface
    interface Scorer {
        double keep(String word, String piece, int pieceIndex);
    }

    final List<List<String>> calls = new ArrayList<>();
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final List<String> labels;
    private final Scorer scorer;

    Llmlingua2FakeTagger(Tokenizer tokenizer, int maxLength, List<String> labels, Scorer scorer) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.labels = List.copyOf(labels);
        this.scorer = scorer;
    }

    Llmlingua2FakeTagger(Tokenizer tokenizer, int maxLength, Scorer scorer) {
        this(tokenizer, maxLength, List.of("drop", "keep"), scorer);
    }

    /** Keep probability from a word list: listed words (compared without surrounding space) 0.9, others 0.1. */
    static Scorer wordList(Set<String> keep) {
        return (word, piece, index) -> keep.contains(word.strip()) ? 0.9 : 0.1;
    }

    /** Keep probability from a hash of the word: varied, repeatable. */
    static Scorer hashed() {
        return (word, piece, index) -> {
            int h = word.strip().hashCode() * 0x9E3779B1;
            return ((h >>> 8) & 0xFFFF) / 65536.0;
        };
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public List<TokenLabels> classify(List<String> texts, RunLimits limits) throws InputException {
        calls.add(List.copyOf(texts));
        int keep = labels.contains("keep") ? labels.indexOf("keep") : labels.indexOf("LABEL_1");
        List<TokenLabels> out = new ArrayList<>();
        for (String text : texts) {
            Encoding e = tokenizer.encode(text, true);
            if (e.size() > maxLength) {
                throw new InputException("text has " + e.size() + " tokens, more than " + maxLength);
            }
            int words = e.wordCount();
            int[] lo = new int[words];
            int[] hi = new int[words];
            java.util.Arrays.fill(lo, Integer.MAX_VALUE);
            for (int t = 0; t < e.size(); t++) {
                int w = e.wordIds()[t];
                if (w >= 0) {
                    lo[w] = Math.min(lo[w], e.starts()[t]);
                    hi[w] = Math.max(hi[w], e.ends()[t]);
                }
            }
            float[][] p = new float[e.size()][labels.size()];
            int previous = -1;
            int index = 0;
            for (int t = 0; t < e.size(); t++) {
                int w = e.wordIds()[t];
                double k;
                if (w < 0) {
                    k = 1.0;
                } else {
                    index = w == previous ? index + 1 : 0;
                    previous = w;
                    k = scorer.keep(text.substring(lo[w], hi[w]), text.substring(e.starts()[t], e.ends()[t]), index);
                }
                for (int l = 0; l < labels.size(); l++) {
                    p[t][l] = (float) (l == keep ? k : (1 - k) / (labels.size() - 1));
                }
            }
            out.add(new TokenLabels(e, p));
        }
        return out;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("fake-tagger", "test", tokenizer.vocabSize(), maxLength, Set.of(), -1, -1, Map.of());
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
    }
}
