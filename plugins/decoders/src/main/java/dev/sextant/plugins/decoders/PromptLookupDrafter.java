package dev.sextant.plugins.decoders;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prompt-lookup drafts (Saxena 2023, Hugging Face's {@code prompt_lookup_num_tokens}): the row's last
 * n tokens, for n from {@code maxNgram} down to {@code minNgram}, are searched for earlier in the row
 * (prompt and generated text); at the first (earliest) earlier occurrence with something after it,
 * the tokens that followed are the draft.
 */
final class PromptLookupDrafter implements Drafter {

    private final int minNgram;
    private final int maxNgram;

    PromptLookupDrafter(int minNgram, int maxNgram) {
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
    }

    @Override
    public Draft propose(int[] tokens, int promptLength, int max, SplittableRandom random) {
        int[] found = lookup(tokens, minNgram, maxNgram, max);
        return found.length == 0 ? Draft.NONE : new Draft(found, null);
    }

    /** The up to {@code max} tokens that followed the earliest earlier occurrence of the longest suffix n-gram. */
    static int[] lookup(int[] tokens, int minNgram, int maxNgram, int max) {
        int length = tokens.length;
        if (max <= 0) {
            return new int[0];
        }
        for (int n = Math.min(maxNgram, length - 1); n >= minNgram; n--) {
            int suffix = length - n;
            // an occurrence starting at s ends before the suffix starts and leaves at least one token after it
            for (int s = 0; s + n < length && s < suffix; s++) {
                if (matches(tokens, s, suffix, n)) {
                    int from = s + n;
                    int to = Math.min(from + max, length);
                    return Arrays.copyOfRange(tokens, from, to);
                }
            }
        }
        return new int[0];
    }

    private static boolean matches(int[] tokens, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            if (tokens[a + i] != tokens[b + i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "prompt-lookup(" + minNgram + ".." + maxNgram + ")";
    }
}
