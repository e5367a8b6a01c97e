package dev.sextant.plugins.compressors;

import java.util.Arrays;

/**
 * The words of one {@code llmlingua2} request, in text order, as parallel arrays (no object per
 * word: a long context has tens of thousands). Offsets are in the classified text (the context, or
 * the joined string values of a JSON context) and cover the word without surrounding whitespace.
 */
final class Llmlingua2Words {

    /** Number of words. */
    int size;
    /** Start and end char offset of each word. */
    int[] start = new int[64];
    int[] end = new int[64];
    /** Keep score: the keep probability of its tokens, merged by word-score. */
    float[] score = new float[64];
    /**
     * Tokens it costs: its tokens in the encoding of the whole text (not of its chunk, where a chunk's
     * first word may be spelt differently), plus the word-less tokens between it and the word before
     * (whitespace, a lone sentencepiece marker), which the output keeps or drops with it.
     */
    int[] cost = new int[64];
    /** Tokens its forced prefix and suffix cost (0 without them): what dropping it still keeps. */
    int[] residueCost = new int[64];
    /** Always kept: it is a force token, or holds a digit with keep-digits. */
    boolean[] forced = new boolean[64];
    /** It is exactly one of the force tokens (so repeats of it may be collapsed). */
    boolean[] forceToken = new boolean[64];
    /** End of its forced prefix ({@code start} if none) and start of its forced suffix ({@code end} if none). */
    int[] prefixEnd = new int[64];
    int[] suffixStart = new int[64];

    /** Appends a word and returns its index. */
    int add(int wordStart, int wordEnd, float wordScore, int tokens) {
        if (size == start.length) {
            int n = size * 2;
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            score = Arrays.copyOf(score, n);
            cost = Arrays.copyOf(cost, n);
            residueCost = Arrays.copyOf(residueCost, n);
            forced = Arrays.copyOf(forced, n);
            forceToken = Arrays.copyOf(forceToken, n);
            prefixEnd = Arrays.copyOf(prefixEnd, n);
            suffixStart = Arrays.copyOf(suffixStart, n);
        }
        int i = size++;
        start[i] = wordStart;
        end[i] = wordEnd;
        score[i] = wordScore;
        cost[i] = tokens;
        prefixEnd[i] = wordStart;
        suffixStart[i] = wordEnd;
        return i;
    }

    /**
     * Sets each word's cost from the encoding of the whole text: the tokens that start after the
     * previous word's end and before this word's end. A whitespace token holding a whitespace force
     * token (a byte-level BPE line break) is not a word's: the output keeps it whether the next word is
     * kept or not, so it is returned as a fixed cost instead. One pass.
     *
     * @return the tokens of whitespace that holds a whitespace force token
     */
    long countTokens(String text, dev.sextant.spi.model.Encoding encoding, java.util.List<String> forceTokens) {
        java.util.List<String> blank = forceTokens.stream().filter(String::isBlank).toList();
        int[] starts = encoding.starts();
        int[] ends = encoding.ends();
        int n = encoding.size();
        long forcedWhitespace = 0;
        int t = 0;
        for (int i = 0; i < size; i++) {
            int tokens = 0;
            while (t < n && starts[t] < end[i]) {
                if (!blank.isEmpty() && holdsOnlyForcedWhitespace(text, starts[t], ends[t], blank)) {
                    forcedWhitespace++;
                } else {
                    tokens++;
                }
                t++;
            }
            if (tokens > 0) {
                cost[i] = tokens;
                residueCost[i] = Math.min(residueCost[i], tokens);
            }
        }
        return forcedWhitespace;
    }

    private static boolean holdsOnlyForcedWhitespace(String text, int from, int to, java.util.List<String> blank) {
        if (to <= from || !Character.isWhitespace(text.charAt(from)) || !text.substring(from, to).isBlank()) {
            return false;
        }
        for (String token : blank) {
            if (text.substring(from, to).contains(token)) {
                return true;
            }
        }
        return false;
    }

    /** Sum of all word costs. */
    long totalCost() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += cost[i];
        }
        return total;
    }
}
