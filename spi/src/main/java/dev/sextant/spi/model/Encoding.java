package dev.sextant.spi.model;

import java.util.Arrays;

/**
 * A tokenized text: ids, their token strings, and each token's character span in the text.
 * Arrays are owned by the encoding; do not modify them.
 *
 * @param ids token ids
 * @param tokens token strings as the tokenizer's vocabulary spells them
 * @param starts start char offset of each token in the encoded text (inclusive)
 * @param ends end char offset of each token in the encoded text (exclusive)
 */
public record Encoding(int[] ids, String[] tokens, int[] starts, int[] ends) {

    public Encoding {
        if (ids.length != tokens.length || ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException("ids, tokens, starts and ends must have one entry per token");
        }
    }

    /** Number of tokens. */
    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(starts, e.starts) && Arrays.equals(ends, e.ends);
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
