package dev.sextant.plugins.constraints;

import java.util.Arrays;

/**
 * How a walk from a state can start at a class's frontier instead of the trie's root: where every
 * character of an ASCII class leads from the state to one same state, and from that one to one same state
 * again, and so on up to a wall (or for as long as any token of the class lasts), a token's fate hangs only
 * on how many characters of the class it starts with and on what follows them. The class's tokens short
 * enough are set at once ({@link TokenTrie.ClassSlice#setUpTo}); every other token leaves the class at a
 * frontier node ({@link FrontierNodes#groupsFrom}), walked from the state {@code chain[j]} that its
 * {@code j} characters of the class lead to, and the frontier nodes of a byte that state refuses are passed
 * over together. In a host name's label most of the trie is letters followed by something a label refuses.
 *
 * <p>Plain text (a JSON string's content) is such a class too, with the multi-byte characters: its tokens
 * are set from {@link TokenTrie#plainUpTo}, its frontier nodes are the quotes, backslashes and control
 * characters that follow plain characters, and the tokens that end inside a character are decided at
 * once ({@link #markTails}). A string's walk then reads a few thousand nodes of a 200k vocabulary
 * instead of twenty thousand.
 *
 * <p>The chain stays inside one automaton: none of its states may be an exit, where a grammar's other
 * rules could read on.
 *
 * @param nodes where the class's tokens leave it
 * @param chain the states after 0, 1, ... characters of the class, up to the most a frontier node has
 */
record Frontier(FrontierNodes nodes, int[] chain) {

    /**
     * The frontier walk from state {@code s0} of {@code a}: over the class of {@code slices} where it
     * qualifies, else over the characters that lead where most of them lead (a path's characters beside
     * the slash that starts the next segment, a scheme's beside the colon), whose tokens are set in
     * {@code bits} here; null where neither does (the trie is walked whole).
     */
    static Frontier plan(LiveAutomaton a, TokenSlices slices, int s0, TokenTrie trie, long[] bits) {
        if (a.exit(s0)) {
            return null;
        }
        TokenTrie.ClassSlice sliced = slices.classSlice();
        if (sliced != null) {
            int[] chain = chain(a, sliced, slices.classRun(), slices.classWall(), s0, null, 0);
            if (chain != null) {
                return new Frontier(sliced.frontier(), chain);
            }
        }
        if (slices.plainSliced()) {
            return plain(a, s0, trie);
        }
        TokenTrie.AsciiClass uniform = uniformClass(a, s0);
        if (uniform == null || sliced != null && uniform.equals(sliced.chars())) {
            return null;
        }
        // its run: the chain of states its characters lead to, up to a wall, a loop, or past every token
        // (kept, so the chain below need not step them again)
        int[] met = new int[TokenTrie.NOT_IN_CLASS + 2];
        met[0] = s0;
        int known = 1;
        int run = 0;
        boolean wall = false;
        for (int s = s0; run <= TokenTrie.NOT_IN_CLASS; run++) {
            int next = commonStep(a, s, uniform);
            if (next == -1) {
                wall = !a.exit(s);
                break;
            }
            if (next < -1) {
                return null;
            }
            if (next == s) {
                run = Integer.MAX_VALUE;
                break;
            }
            s = next;
            met[known++] = s;
        }
        TokenTrie.ClassSlice slice = trie.asciiClass(uniform);
        int longest = TokenTrie.NOT_IN_CLASS - 1;
        int[] chain = chain(a, slice, Math.min(run, longest), wall && run <= longest, s0, met, known);
        if (chain == null) {
            return null;
        }
        slice.setUpTo(Math.min(run, longest), bits);
        return new Frontier(slice.frontier(), chain);
    }

    /**
     * The frontier walk over plain text from state {@code s0}, whose plain tokens its slices set: where
     * every plain character leads to one same state each time, none an exit, for as long as a frontier node
     * or tail has plain characters before it (or up to a wall), and the plain tokens longer than the run
     * are cut off by the wall or there are none; else null.
     */
    private static Frontier plain(LiveAutomaton a, int s0, TokenTrie trie) {
        // the state's own run (the slices' is capped at the longest plain token, and a frontier node may
        // come after more plain characters than that): past a wall nothing is read, else it must last
        int run = a.plainRun(s0);
        FrontierNodes nodes = trie.plainFrontier();
        if (!a.plainWall(s0) && (run < trie.longestPlain() || run < nodes.longestPrefix())) {
            return null;
        }
        int length = Math.min(run, nodes.longestPrefix()) + 1;
        int[] chain = new int[Math.max(length, 1)];
        chain[0] = s0;
        for (int j = 1; j < length; j++) {
            int next = a.plainStep(chain[j - 1]);
            if (next < 0 || a.exit(next)) {
                return null;
            }
            if (next == chain[j - 1]) {
                Arrays.fill(chain, j, length, next); // a loop: the same state from here on
                break;
            }
            chain[j] = next;
        }
        return new Frontier(nodes, chain);
    }

    /**
     * Sets the bits of the frontier's tails that state {@code chain[j]} of {@code a} takes: those whose
     * character, begun after {@code j} characters of the class, can still be completed to one that leads on.
     */
    void markTails(LiveAutomaton a, TokenTrie trie, long[] bits) {
        for (int j = 0; j < chain.length; j++) {
            for (int t = nodes.tailsFrom(j); t < nodes.tailsFrom(j + 1); t++) {
                if (a.completable(chain[j], nodes.tailNeed(t), nodes.tailPayload(t), nodes.tailMin(t))) {
                    trie.markTokens(nodes.tailNode(t), bits);
                }
            }
        }
    }

    /**
     * The states after 0, 1, ... characters of the class of {@code c} from state {@code s0} (whose run over
     * it is {@code run}, ending at a wall or not), when every character of the class leads to the same state
     * each time, none of them an exit, up to the most characters of the class a frontier node has before
     * it, and no token of the class or frontier node lies past the run (or one that does is cut off by a
     * wall); else null. The first {@code known} of them may be given in {@code met} (else null).
     */
    private static int[] chain(LiveAutomaton a, TokenTrie.ClassSlice c, int run, boolean wall, int s0, int[] met,
            int known) {
        if (!wall && (c.overlong() || run < c.longestPrefix() || run < c.longestToken())) {
            return null;
        }
        int length = Math.min(run, c.longestPrefix()) + 1;
        int[] chain = new int[Math.max(length, 1)];
        chain[0] = s0;
        for (int j = 1; j < length; j++) {
            int next = j < known ? met[j] : commonStep(a, chain[j - 1], c.chars());
            if (next < 0 || a.exit(next)) {
                return null;
            }
            chain[j] = next;
        }
        return chain;
    }

    /**
     * The state every character of {@code chars} leads to from state {@code s}; -1 where none leads on, -2
     * where they part (some lead elsewhere, or nowhere).
     */
    private static int commonStep(LiveAutomaton a, int s, TokenTrie.AsciiClass chars) {
        int next = -3;
        for (int ch = 0x20; ch < 0x80; ch++) {
            if (chars.contains(ch)) {
                int t = a.step(s, ch);
                if (next != -3 && t != next) {
                    return -2;
                }
                next = t;
            }
        }
        return next == -3 ? -2 : next;
    }

    /**
     * The plain ASCII characters that lead from state {@code s} to the state most of them lead to, or null
     * where they are fewer than {@link TokenSlices#MIN_CLASS_CHARS}.
     */
    private static TokenTrie.AsciiClass uniformClass(LiveAutomaton a, int s) {
        int[] to = new int[0x80];
        int size = 0;
        for (int ch = 0x20; ch < 0x80; ch++) {
            int t = TokenTrie.plain(ch) ? a.step(s, ch) : -1;
            if (t >= 0) {
                to[size++] = t;
            }
        }
        int[] sorted = Arrays.copyOf(to, size);
        Arrays.sort(sorted);
        int best = -1;
        int bestCount = 0;
        for (int i = 0; i < size; ) {
            int k = i;
            while (k < size && sorted[k] == sorted[i]) {
                k++;
            }
            if (k - i > bestCount) {
                bestCount = k - i;
                best = sorted[i];
            }
            i = k;
        }
        if (bestCount < TokenSlices.MIN_CLASS_CHARS) {
            return null;
        }
        long low = 0;
        long high = 0;
        for (int ch = 0x20; ch < 0x80; ch++) {
            if (TokenTrie.plain(ch) && a.step(s, ch) == best) {
                if (ch < 64) {
                    low |= 1L << ch;
                } else {
                    high |= 1L << (ch - 64);
                }
            }
        }
        return new TokenTrie.AsciiClass(low, high);
    }

    /** Whether byte {@code b} may start a character that leads on from state {@code s} of {@code a}. */
    static boolean opens(LiveAutomaton a, int s, int b) {
        if (b < 0x80) {
            return a.step(s, b) >= 0;
        }
        if (b < 0xC2 || b > 0xF4) {
            return false;
        }
        int need = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
        return a.completable(s, need, b & (need == 3 ? 0x07 : need == 2 ? 0x0F : 0x1F),
                need == 3 ? 0x10000 : need == 2 ? 0x800 : 0x80);
    }
}
