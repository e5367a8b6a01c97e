package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.TokenBytes;
import dev.sextant.spi.model.Tokenizer;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Each tokenizer's {@link TokenBytes} and {@link TokenTrie}, made once (a 200k vocabulary takes a
 * noticeable fraction of a second) and shared by every constraint compiled for it.
 */
final class Vocabularies {

    /** A vocabulary and its trie. */
    record Vocabulary(TokenBytes bytes, TokenTrie trie) {
    }

    private static final Map<Tokenizer, Map<Set<Integer>, Vocabulary>> CACHE = new WeakHashMap<>();

    private Vocabularies() {
    }

    static Vocabulary of(Tokenizer tokenizer, Set<Integer> endIds) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(tokenizer, t -> new java.util.HashMap<>()).computeIfAbsent(Set.copyOf(endIds),
                    ids -> of(TokenBytes.of(tokenizer, ids)));
        }
    }

    static Vocabulary of(TokenBytes bytes) {
        return new Vocabulary(bytes, new TokenTrie(bytes));
    }
}
