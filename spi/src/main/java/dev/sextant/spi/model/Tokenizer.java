package dev.sextant.spi.model;

import java.util.OptionalInt;

/** Turns text into token ids and back. Thread-safe. */
public interface Tokenizer {

    /**
     * Encodes text.
     *
     * @param addSpecialTokens whether to add the special tokens the tokenizer's post-processor
     *     defines (e.g. a BOS token)
     */
    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * How many tokens {@code text} has without special tokens: {@code encode(text, false).size()}, which
     * implementations may compute without building the tokens' strings and offsets (a compressor counts
     * every output it makes).
     */
    default int count(String text) {
        return encode(text, false).size();
    }

    /**
     * Decodes ids to text. Byte-level tokenizers may return U+FFFD for a token that ends in the
     * middle of a multi-byte character; decode the whole sequence to get the full text.
     */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** The vocabulary's spelling of one token id. */
    String token(int id);

    /** The id of a vocabulary entry, if present. */
    OptionalInt tokenId(String token);

    /** Number of entries in the vocabulary (including added special tokens). */
    int vocabSize();

    /**
     * Ids of special tokens (end-of-text, padding, mask, ...): never sampled as replacements or
     * shown as words. The default knows none.
     */
    default java.util.Set<Integer> specialTokenIds() {
        return java.util.Set.of();
    }
}
