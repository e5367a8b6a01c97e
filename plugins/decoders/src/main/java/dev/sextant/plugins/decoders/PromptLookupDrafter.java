package dev.sextant.plugins.decoders;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prompt-lookup drafts (Saxena 2023, Hugging Face's {@code prompt_lookup_num_tokens}): the row's last
 * n tokens, for n from {@code maxNgram} down to {@code minNgram}, are searched for earlier in the row
 * (prompt and generated text); at the first (earliest) earlier occurrence with something after it,
 * the tokens that followed are the draft.
 *
 * <p>With word starts given, a row whose last tokens occur nowhere earlier is re-aligned, as
 * input-guided aggressive decoding (Sun et al. 2021) continues after an edit: the model has just
 * written a word that the text does not have (a corrected typo, a replaced word), so the tokens before
 * it are looked up instead, and the draft is the earlier text from the word after the one that was
 * replaced. A wrong guess costs only the verified positions of one call; a right one saves a call per
 * edit.
 */
final class PromptLookupDrafter implements Drafter {

    /** How many of the row's last tokens re-alignment may set aside as the new word. */
    static final int REALIGN_BACK = 2;
    /** How many tokens of the replaced word re-alignment skips at most to reach the next word. */
    static final int REALIGN_SKIP = 8;

    private final int minNgram;
    private final int maxNgram;
    private final boolean[] wordStarts;

    /**
     * @param wordStarts per token id, whether the token begins a word (its text starts with
     *     whitespace); {@code null} turns re-alignment off
     */
    PromptLookupDrafter(int minNgram, int maxNgram, boolean[] wordStarts) {
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
        this.wordStarts = wordStarts;
    }

    @Override
    public Draft propose(int[] tokens, int promptLength, int max, SplittableRandom random) {
        int[] found = lookup(tokens, minNgram, maxNgram, max);
        if (found.length == 0 && wordStarts != null) {
            found = realign(tokens, minNgram, maxNgram, max, wordStarts);
        }
        return found.length == 0 ? Draft.NONE : new Draft(found, null);
    }

    /** The up to {@code max} tokens that followed the earliest earlier occurrence of the longest suffix n-gram. */
    static int[] lookup(int[] tokens, int minNgram, int maxNgram, int max) {
        if (max <= 0) {
            return new int[0];
        }
        int from = continuation(tokens, tokens.length, minNgram, maxNgram);
        return from < 0 ? new int[0] : Arrays.copyOfRange(tokens, from, Math.min(from + max, tokens.length));
    }

    /**
     * The draft after a new word: for the row without its last 1, then 2 tokens, the continuation of
     * the longest earlier suffix match, from the first word start after that continuation's first
     * token (the replaced word skipped); up to {@code max} tokens, all from before the set-aside ones.
     */
    static int[] realign(int[] tokens, int minNgram, int maxNgram, int max, boolean[] wordStarts) {
        if (max <= 0) {
            return new int[0];
        }
        for (int back = 1; back <= REALIGN_BACK; back++) {
            int end = tokens.length - back;
            int replaced = continuation(tokens, end, minNgram, maxNgram);
            if (replaced < 0) {
                continue;
            }
            for (int next = replaced + 1; next < end && next - replaced <= REALIGN_SKIP; next++) {
                int id = tokens[next];
                if (id >= 0 && id < wordStarts.length && wordStarts[id]) {
                    return Arrays.copyOfRange(tokens, next, Math.min(next + max, end));
                }
            }
        }
        return new int[0];
    }

    /**
     * Where the earliest earlier occurrence of the longest suffix n-gram of {@code tokens[0, end)} is
     * continued (an index below {@code end}), or -1 if no suffix of {@code minNgram}..{@code maxNgram}
     * tokens occurs earlier with something after it.
     */
    private static int continuation(int[] tokens, int end, int minNgram, int maxNgram) {
        for (int n = Math.min(maxNgram, end - 1); n >= minNgram; n--) {
            int suffix = end - n;
            // an occurrence starting at s ends before the suffix starts and leaves at least one token after it
            for (int s = 0; s + n < end && s < suffix; s++) {
                if (matches(tokens, s, suffix, n)) {
                    return s + n;
                }
            }
        }
        return -1;
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
        return "prompt-lookup(" + minNgram + ".." + maxNgram + (wordStarts != null ? ", realign" : "") + ")";
    }
}
