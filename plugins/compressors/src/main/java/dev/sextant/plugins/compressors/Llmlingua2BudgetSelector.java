package dev.sextant.plugins.compressors;

import dev.sextant.spi.compress.Budget;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses which words to keep for a budget.
 *
 * <p>RATE and TOKENS become a token target ({@code floor(rate * original tokens)}, or the count). What
 * must be kept is paid first: forced words, the forced prefixes and suffixes of every other word (a
 * dropped word still leaves them), whitespace tokens holding a forced line break, and, for JSON, the
 * structure. The other words are then sorted once
 * by priority (the score, or the score raised by question relevance; highest first, ties by position) and taken greedily: a word whose extra tokens would
 * overflow the target is skipped and the walk goes on, so shorter words further down can still fill
 * the remainder. The result never exceeds the target by its own count, which is what keeps the
 * achieved rate close to the requested one. THRESHOLD keeps every word scoring at least the value.
 * One sort and linear passes.
 */
final class Llmlingua2BudgetSelector {

    private final Llmlingua2Words words;
    /** Indices of the words that may be dropped, best first. */
    private final int[] order;

    /**
     * @param priority the order in which droppable words are taken, highest first: their keep scores, or
     *     those raised by question relevance
     */
    Llmlingua2BudgetSelector(Llmlingua2Words words, float[] priority) {
        this.words = words;
        int candidates = 0;
        for (int i = 0; i < words.size; i++) {
            if (!words.forced[i]) {
                candidates++;
            }
        }
        long[] keys = new long[candidates];
        int k = 0;
        for (int i = 0; i < words.size; i++) {
            if (!words.forced[i]) {
                // High 32 bits: the score, order-reversed so that ascending longs are best first;
                // low 32 bits: the position, so equal scores keep text order.
                keys[k++] = ((long) ~sortable(priority[i]) << 32) | i;
            }
        }
        Arrays.sort(keys);
        order = new int[candidates];
        for (int j = 0; j < candidates; j++) {
            order[j] = (int) keys[j];
        }
    }

    /** A float's bits as an int that orders like the float. */
    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** The token target of a RATE or TOKENS budget. */
    static long target(Budget budget, int originalTokens) {
        return switch (budget.kind()) {
            case RATE -> (long) Math.floor(budget.value() * originalTokens + 1e-9);
            case TOKENS -> (long) budget.value();
            case THRESHOLD -> Long.MAX_VALUE;
        };
    }

    /**
     * Chooses the kept words.
     *
     * @param budget the request's budget
     * @param target the token target (ignored for THRESHOLD)
     * @param fixedCost tokens kept whatever is chosen (kept line breaks, JSON structure)
     * @param json whether the context is JSON (for the warning)
     * @param warnings where to say that the budget is below what must be kept
     */
    boolean[] select(Budget budget, long target, long fixedCost, boolean json, List<String> warnings) {
        boolean[] kept = new boolean[words.size];
        long mandatory = fixedCost;
        for (int i = 0; i < words.size; i++) {
            if (words.forced[i]) {
                kept[i] = true;
                mandatory += words.cost[i];
            } else {
                mandatory += words.residueCost[i];
            }
        }
        if (budget.kind() == Budget.Kind.THRESHOLD) {
            float threshold = (float) budget.value(); // scores are float probabilities
            for (int i : order) {
                kept[i] = words.score[i] >= threshold;
            }
            return kept;
        }
        if (budget.kind() == Budget.Kind.RATE && budget.value() >= 1) {
            Arrays.fill(kept, true);
            return kept;
        }
        long room = target - mandatory;
        if (room < 0) {
            warnings.add("the budget of " + target + " tokens is below the " + mandatory + " tokens that are always"
                    + " kept (force-tokens, keep-digits" + (json ? ", JSON structure" : "")
                    + "); kept only those");
            return kept;
        }
        for (int i : order) {
            int extra = words.cost[i] - words.residueCost[i];
            if (extra <= room) {
                kept[i] = true;
                room -= extra;
            }
        }
        return kept;
    }

    /**
     * Adds the best-scoring dropped words whose extra tokens fit in {@code room}, skipping the
     * {@code banned} ones (those already taken out once, so that adding and dropping cannot cycle).
     *
     * @return whether any word was added
     */
    boolean addBest(boolean[] kept, long room, boolean[] banned) {
        boolean any = false;
        for (int j = 0; j < order.length && room > 0; j++) {
            int i = order[j];
            int extra = words.cost[i] - words.residueCost[i];
            if (!kept[i] && !banned[i] && extra <= room) {
                kept[i] = true;
                room -= extra;
                any = true;
            }
        }
        return any;
    }

    /**
     * Adds the dropped word (not {@code banned}) with the fewest extra tokens, the best-ranked of those on
     * a tie: the smallest step over a shortfall that no word fits.
     *
     * @return whether a word was added
     */
    boolean addCheapest(boolean[] kept, boolean[] banned) {
        int chosen = -1;
        for (int i : order) {
            if (!kept[i] && !banned[i] && (chosen < 0 || extra(i) < extra(chosen))) {
                chosen = i;
            }
        }
        if (chosen >= 0) {
            kept[chosen] = true;
        }
        return chosen >= 0;
    }

    private int extra(int word) {
        return words.cost[word] - words.residueCost[word];
    }

    /**
     * Drops the lowest-scoring kept words (never forced ones) worth at least {@code excess} tokens, and
     * marks them {@code banned}.
     *
     * @return whether any word was dropped
     */
    boolean dropLowest(boolean[] kept, long excess, boolean[] banned) {
        long freed = 0;
        boolean any = false;
        for (int j = order.length - 1; j >= 0 && freed < excess; j--) {
            int i = order[j];
            if (kept[i]) {
                kept[i] = false;
                banned[i] = true;
                freed += Math.max(1, words.cost[i] - words.residueCost[i]);
                any = true;
            }
        }
        return any;
    }
}
