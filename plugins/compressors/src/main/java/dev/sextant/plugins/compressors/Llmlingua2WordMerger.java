package dev.sextant.plugins.compressors;

import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.TokenLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns per-token keep probabilities into words, using the tokenizer's own word ids (so it works the
 * same for sentencepiece, wordpiece and byte-level BPE, whatever the model is called): the tokens of
 * one word id form one word; its score is the mean of their keep probabilities, or that of the first
 * token covering the word's own characters.
 * Tokens without a word (special tokens) and whitespace-only words (byte-level BPE's {@code "\n\n"})
 * are skipped. Then marks forced words and the forced prefix or suffix a dropped word leaves behind.
 * One pass over the tokens. (A word's cost in tokens is counted afterwards in the whole text's
 * encoding: see {@link Llmlingua2Words#countTokens}.)
 */
final class Llmlingua2WordMerger {

    private final int keepIndex;
    private final boolean firstToken;
    private final Set<String> forceWords = new HashSet<>();
    /** Non-blank force tokens, longest first, for prefix and suffix matches. */
    private final List<String> edgeTokens;
    private final boolean keepDigits;

    Llmlingua2WordMerger(int keepIndex, boolean firstToken, List<String> forceTokens, boolean keepDigits) {
        this.keepIndex = keepIndex;
        this.firstToken = firstToken;
        this.keepDigits = keepDigits;
        List<String> edges = new ArrayList<>();
        for (String token : forceTokens) {
            if (!token.isBlank()) {
                forceWords.add(token.strip());
                edges.add(token.strip());
            }
        }
        edges.sort(Comparator.comparingInt(String::length).reversed());
        this.edgeTokens = List.copyOf(edges);
    }

    /**
     * Adds the words of one classified chunk.
     *
     * @param text the classified text (chunk offsets are relative to it)
     * @param offset where the chunk starts in {@code text}
     * @param labels the chunk's classification
     * @param words where to add them
     */
    void addChunk(String text, int offset, TokenLabels labels, Llmlingua2Words words) {
        Encoding e = labels.encoding();
        float[][] p = labels.probabilities();
        int n = e.size();
        int[] wordIds = e.wordIds();
        int first = 0;
        while (first < n && wordIds[first] < 0) {
            first++;
        }
        int last = n - 1;
        while (last >= first && wordIds[last] < 0) {
            last--;
        }
        int t = first;
        while (t <= last) {
            int id = wordIds[t];
            if (id < 0) {
                t++; // a word-less token inside the text: whitespace, a lone marker
                continue;
            }
            int from = t;
            double sum = 0;
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            while (t <= last && wordIds[t] == id) {
                sum += p[t][keepIndex];
                if (e.ends()[t] > e.starts()[t]) {
                    lo = Math.min(lo, e.starts()[t]);
                    hi = Math.max(hi, e.ends()[t]);
                }
                t++;
            }
            int tokens = t - from;
            if (lo >= hi) {
                continue;
            }
            int s = offset + lo;
            int end = offset + hi;
            while (s < end && Character.isWhitespace(text.charAt(s))) {
                s++;
            }
            while (end > s && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (s == end) {
                continue; // a whitespace word (byte-level BPE's "\n\n")
            }
            float score = (float) (firstToken ? p[firstCovering(e, offset, from, t, s)][keepIndex] : sum / tokens);
            if (Float.isNaN(score)) {
                score = 0f;
            }
            int w = words.add(s, end, score, tokens);
            markForced(text, words, w, e, offset, from, t);
        }
    }

    /**
     * The word's first token that covers part of the word itself, not only the whitespace or marker
     * before it (a byte tokenizer's leading space, a lone sentencepiece marker).
     */
    private static int firstCovering(Encoding e, int offset, int from, int to, int wordStart) {
        for (int t = from; t < to; t++) {
            if (offset + e.ends()[t] > wordStart && e.ends()[t] > e.starts()[t]) {
                return t;
            }
        }
        return from;
    }

    private void markForced(String text, Llmlingua2Words words, int w, Encoding e, int offset, int fromToken,
            int toToken) {
        int s = words.start[w];
        int end = words.end[w];
        boolean isForceToken = !forceWords.isEmpty() && forceWords.contains(text.substring(s, end));
        if (isForceToken || keepDigits && hasDigit(text, s, end)) {
            words.forced[w] = true;
            words.forceToken[w] = isForceToken;
            return;
        }
        if (edgeTokens.isEmpty()) {
            return;
        }
        int prefixEnd = s;
        for (String token : edgeTokens) {
            if (token.length() < end - s && text.startsWith(token, s)) {
                prefixEnd = s + token.length();
                break;
            }
        }
        int suffixStart = end;
        for (String token : edgeTokens) {
            if (end - token.length() >= prefixEnd && token.length() < end - s
                    && text.startsWith(token, end - token.length())) {
                suffixStart = end - token.length();
                break;
            }
        }
        if (prefixEnd == s && suffixStart == end) {
            return;
        }
        words.prefixEnd[w] = prefixEnd;
        words.suffixStart[w] = suffixStart;
        int residue = 0;
        int[] starts = e.starts();
        int[] ends = e.ends();
        int prefixTokens = 0;
        int suffixTokens = 0;
        for (int t = fromToken; t < toToken; t++) {
            int ts = offset + starts[t];
            int te = offset + ends[t];
            if (te <= ts) {
                continue;
            }
            if (prefixEnd > s && te <= prefixEnd) {
                prefixTokens++;
            }
            if (suffixStart < end && ts >= suffixStart) {
                suffixTokens++;
            }
        }
        if (prefixEnd > s) {
            residue += Math.max(1, prefixTokens);
        }
        if (suffixStart < end) {
            residue += Math.max(1, suffixTokens);
        }
        words.residueCost[w] = Math.min(residue, words.cost[w]);
    }

    private static boolean hasDigit(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isDigit(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
