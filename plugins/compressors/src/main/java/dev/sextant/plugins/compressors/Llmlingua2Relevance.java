package dev.sextant.plugins.compressors;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How relevant each sentence of the context is to the question, for question-aware {@code llmlingua2}
 * (the coarse, question-aware ranking of LongLLMLingua, Jiang et al. 2024, applied to sentences).
 * LLMLingua-2's classifier reads the context alone, so at a tight budget it cannot tell the fact a
 * question needs from one it does not; ranking sentences against the question lets the budget drop
 * the least relevant sentences first.
 *
 * <p>Sentences end after a word ending in {@code .}, {@code !} or {@code ?}, or at a line break. Two
 * rankers: {@code bm25} (Okapi BM25 over the context's own sentences, k1 = 1.2, b = 0.75, no model)
 * and {@code encoder} (cosine similarity of an encoder's pooled vectors, one batched call with the
 * question). Scores are rescaled to [0, 1] per request (most relevant sentence 1, least 0; all 0 when
 * every sentence scores the same).
 */
final class Llmlingua2Relevance {

    /** The {@code relevance} values. */
    static final List<String> METHODS = List.of("none", "bm25", "encoder");

    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final Encoder encoder;

    /** A BM25 ranker when {@code encoder} is null, else an encoder ranker. */
    Llmlingua2Relevance(Encoder encoder) {
        this.encoder = encoder;
    }

    String method() {
        return encoder == null ? "bm25" : "encoder";
    }

    /**
     * The relevance in [0, 1] of each word, that of its sentence.
     *
     * @param text the classified text, which the words' offsets index
     */
    float[] words(String text, Llmlingua2Words words, String question, RunLimits limits) throws SextantException {
        int[] sentenceOf = new int[words.size];
        List<String> sentences = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < words.size; i++) {
            boolean newSentence = i > 0 && (Llmlingua2Chunker.endsSentence(text, words.end[i - 1])
                    || Llmlingua2Chunker.hasLineBreak(text, words.end[i - 1], words.start[i]));
            if (newSentence) {
                sentences.add(text.substring(words.start[first], words.end[i - 1]));
                first = i;
            }
            sentenceOf[i] = sentences.size();
        }
        if (words.size > 0) {
            sentences.add(text.substring(words.start[first], words.end[words.size - 1]));
        }
        double[] scores = encoder == null ? bm25(sentences, question) : cosine(sentences, question, limits);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        float[] relevance = new float[words.size];
        if (max > min) {
            for (int i = 0; i < words.size; i++) {
                relevance[i] = (float) ((scores[sentenceOf[i]] - min) / (max - min));
            }
        }
        return relevance;
    }

    /** Okapi BM25 of each sentence for the question's distinct terms, document frequencies from the sentences. */
    static double[] bm25(List<String> sentences, String question) {
        int n = sentences.size();
        List<Map<String, Integer>> counts = new ArrayList<>(n);
        Map<String, Integer> documentFrequency = new HashMap<>();
        double totalLength = 0;
        int[] length = new int[n];
        for (int s = 0; s < n; s++) {
            Map<String, Integer> tf = new HashMap<>();
            for (String term : terms(sentences.get(s))) {
                tf.merge(term, 1, Integer::sum);
                length[s]++;
            }
            tf.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
            counts.add(tf);
            totalLength += length[s];
        }
        double averageLength = n == 0 ? 0 : totalLength / n;
        Set<String> query = new LinkedHashSet<>(terms(question == null ? "" : question));
        double[] scores = new double[n];
        for (String term : query) {
            int df = documentFrequency.getOrDefault(term, 0);
            if (df == 0) {
                continue;
            }
            // The non-negative IDF of Lucene's BM25: log(1 + (N - df + 0.5) / (df + 0.5)).
            double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            for (int s = 0; s < n; s++) {
                int f = counts.get(s).getOrDefault(term, 0);
                if (f > 0) {
                    double norm = averageLength == 0 ? 1 : 1 - B + B * length[s] / averageLength;
                    scores[s] += idf * f * (K1 + 1) / (f + K1 * norm);
                }
            }
        }
        return scores;
    }

    private static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        Matcher m = TERM.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            terms.add(m.group());
        }
        return terms;
    }

    private double[] cosine(List<String> sentences, String question, RunLimits limits) throws SextantException {
        List<String> texts = new ArrayList<>(sentences.size() + 1);
        texts.add(question == null ? "" : question);
        texts.addAll(sentences);
        Embeddings embeddings = encoder.embed(texts, limits);
        float[] q = embeddings.pooled()[0];
        double[] scores = new double[sentences.size()];
        for (int s = 0; s < sentences.size(); s++) {
            float[] v = embeddings.pooled()[s + 1];
            double dot = 0;
            double qq = 0;
            double vv = 0;
            for (int d = 0; d < q.length; d++) {
                dot += q[d] * v[d];
                qq += q[d] * q[d];
                vv += v[d] * v[d];
            }
            scores[s] = qq == 0 || vv == 0 ? 0 : dot / Math.sqrt(qq * vv);
        }
        return scores;
    }
}
