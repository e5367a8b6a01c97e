package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.LogitsProcessor;

/**
 * Bans every token that would complete an n-gram already present in the row (prompt included), so
 * no n-gram occurs twice. Stateless: it scans the row each step, which stays correct when rows are
 * forked or rewound.
 */
public final class NoRepeatNGramProcessor implements LogitsProcessor {

    private final int size;

    public NoRepeatNGramProcessor(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, was " + size);
        }
        this.size = size;
    }

    @Override
    public void process(int row, int[] tokens, int promptLength, float[] scores) {
        int length = tokens.length;
        int prefix = size - 1;
        if (length < prefix) {
            return;
        }
        // Each earlier n-gram whose first n-1 tokens equal the row's last n-1 tokens bans its last.
        for (int start = 0; start + size <= length; start++) {
            if (matches(tokens, start, length - prefix, prefix)) {
                int banned = tokens[start + prefix];
                if (banned >= 0 && banned < scores.length) {
                    scores[banned] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    private static boolean matches(int[] tokens, int a, int b, int count) {
        for (int i = 0; i < count; i++) {
            if (tokens[a + i] != tokens[b + i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "no-repeat-ngram(" + size + ")";
    }
}
