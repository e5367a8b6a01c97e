package dev.sextant.spi.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Attribution} with its columns merged into words: a word is a run of tokens with no
 * whitespace between them (so {@code " bost" + "on"} is one word, {@code "." } after a word another
 * only when a space separates them). A word's score is the sum of its tokens' scores, as inseq's
 * default sub-word aggregation; {@code NaN} columns stay {@code NaN}. Rows stay target tokens.
 *
 * @param words each word's text
 * @param starts each word's first char in the attribution's text
 * @param ends each word's char after its last
 * @param firstColumn each word's first column in the token-level attribution
 * @param inputLength how many leading words are prompt words
 * @param scores {@code [row][word]}
 */
public record WordAttribution(
        List<String> words, int[] starts, int[] ends, int[] firstColumn, int inputLength, float[][] scores) {

    public WordAttribution {
        words = List.copyOf(words);
    }

    static WordAttribution of(Attribution a) {
        String text = a.text();
        int columns = a.tokens().size();
        List<String> words = new ArrayList<>();
        List<Integer> first = new ArrayList<>();
        int[] wordOf = new int[columns];
        int inputWords = 0;
        for (int c = 0; c < columns; c++) {
            boolean startsWord = c == 0 || c == a.inputLength() || separated(text, a.ends()[c - 1], a.starts()[c]);
            if (startsWord) {
                first.add(c);
                words.add("");
            }
            wordOf[c] = first.size() - 1;
            if (c < a.inputLength()) {
                inputWords = first.size();
            }
        }
        int n = first.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] firstColumn = new int[n];
        for (int w = 0; w < n; w++) {
            int from = first.get(w);
            int to = w + 1 < n ? first.get(w + 1) : columns;
            firstColumn[w] = from;
            starts[w] = a.starts()[from];
            ends[w] = a.ends()[to - 1];
            words.set(w, text.substring(starts[w], Math.max(starts[w], ends[w])).strip());
        }
        float[][] scores = new float[a.rows()][n];
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < columns; c++) {
                scores[r][wordOf[c]] += a.scores()[r][c];
            }
        }
        return new WordAttribution(words, starts, ends, firstColumn, inputWords, scores);
    }

    /** Whether whitespace (or nothing at all, as around special tokens) lies between two tokens. */
    private static boolean separated(String text, int previousEnd, int start) {
        if (start <= previousEnd) {
            // the token itself may begin with a space (byte-level BPE spells " oslo" as one token)
            return start < text.length() && start >= 0 && Character.isWhitespace(text.charAt(start));
        }
        return true;
    }
}
