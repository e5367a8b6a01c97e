package dev.sextant.spi.model;

import java.util.Arrays;

/**
 * A tokenized text: ids, their token strings, each token's character span in the text, and the
 * word each token belongs to. Arrays are owned by the encoding; do not modify them.
 *
 * @param ids token ids
 * @param tokens token strings as the tokenizer's vocabulary spells them
 * @param starts start char offset of each token in the encoded text (inclusive)
 * @param ends end char offset of each token in the encoded text (exclusive)
 * @param wordIds the index of the word each token belongs to, counting from 0 in text order, or -1
 *     for a token that covers no text (special tokens); tokens of one word share an index
 */
public record Encoding(int[] ids, String[] tokens, int[] starts, int[] ends, int[] wordIds) {

    public Encoding {
        if (ids.length != tokens.length || ids.length != starts.length || ids.length != ends.length
                || ids.length != wordIds.length) {
            throw new IllegalArgumentException("ids, tokens, starts, ends and wordIds must have one entry per token");
        }
    }

    /**
     * An encoding whose words are found from the offsets, for tokenizers that do not say: a token
     * starts a new word when whitespace (or the start of the text) lies before it; a token covering no
     * text belongs to no word.
     */
    public Encoding(int[] ids, String[] tokens, int[] starts, int[] ends, CharSequence text) {
        this(ids, tokens, starts, ends, wordsFromOffsets(starts, ends, text));
    }

    /**
     * Word indices from offsets: a token starts a new word when it is the first to cover text, when
     * whitespace lies between it and the previous token, or when its own text starts with whitespace
     * (offsets that keep a BPE token's leading space); a token covering no text belongs to no word.
     */
    public static int[] wordsFromOffsets(int[] starts, int[] ends, CharSequence text) {
        int[] words = new int[starts.length];
        int word = -1;
        int previousEnd = -1;
        for (int i = 0; i < starts.length; i++) {
            if (ends[i] <= starts[i]) {
                words[i] = -1;
                continue;
            }
            if (previousEnd < 0 || hasSpace(text, previousEnd, starts[i] + 1)) {
                word++;
            }
            words[i] = word;
            previousEnd = ends[i];
        }
        return words;
    }

    /** Whether {@code text[from, to)} holds whitespace. */
    private static boolean hasSpace(CharSequence text, int from, int to) {
        for (int k = Math.max(0, from); k < Math.min(to, text.length()); k++) {
            if (Character.isWhitespace(text.charAt(k))) {
                return true;
            }
        }
        return false;
    }

    /** Number of tokens. */
    public int size() {
        return ids.length;
    }

    /** Number of words (one more than the largest word index), 0 if no token covers text. */
    public int wordCount() {
        int max = -1;
        for (int w : wordIds) {
            max = Math.max(max, w);
        }
        return max + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(starts, e.starts) && Arrays.equals(ends, e.ends) && Arrays.equals(wordIds, e.wordIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }
}
