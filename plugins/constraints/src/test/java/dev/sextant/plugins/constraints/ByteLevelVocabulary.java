package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.TokenBytes;
import dev.sextant.spi.model.Encoding;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The first tokens of a real vocabulary as a {@link Tokenizer} whose entries are written in GPT-2's
 * byte-level alphabet, plus an end-of-text id after them: what a component's {@code prepare} needs to
 * compile a constraint, without a model. It serves the vocabulary only; nothing is encoded.
 */
final class ByteLevelVocabulary implements Tokenizer {

    private final String[] entries;

    /** The first {@code size} tokens of {@code vocabulary}, then the end id ({@code size}). */
    ByteLevelVocabulary(TokenBytes vocabulary, int size) {
        entries = new String[size + 1];
        for (int id = 0; id < size; id++) {
            entries[id] = TokenBytes.byteLevelEntry(vocabulary.bytes(id));
        }
        entries[size] = "<|endoftext|>";
    }

    int endId() {
        return entries.length - 1;
    }

    /** The model facts a constraint reads: the vocabulary size and the end id. */
    ModelInfo info() {
        return new ModelInfo("byte-level-test", "none", entries.length, 1 << 16, Set.of(endId()), -1, -1, Map.of());
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        throw new UnsupportedOperationException("a vocabulary only");
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        throw new UnsupportedOperationException("a vocabulary only");
    }

    @Override
    public String token(int id) {
        return entries[id];
    }

    @Override
    public OptionalInt tokenId(String token) {
        for (int id = 0; id < entries.length; id++) {
            if (entries[id].equals(token)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public int vocabSize() {
        return entries.length;
    }

    @Override
    public Set<Integer> specialTokenIds() {
        return Set.of(endId());
    }
}
