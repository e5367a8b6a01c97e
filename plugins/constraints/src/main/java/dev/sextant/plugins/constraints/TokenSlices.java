package dev.sextant.plugins.constraints;

/**
 * The token slices one walk may take at once, from the state it starts in (LLGuidance's token slices,
 * see {@link TokenTrie}): where any text of a class of characters may follow for a while (a string's
 * content), every token wholly of that class and short enough is allowed without walking its bytes,
 * and where the run ends at a wall, longer ones never are. Two classes: plain text (everything a JSON
 * string holds as it is, Unicode included; its slices are made with the trie) and the state's own ASCII
 * class (the plain ASCII characters it reads: a pattern's or format's class, or a narrower one that runs
 * longer, see {@link LiveAutomaton#classRun}; slices made on first use). Walks also start plain slices
 * at inner nodes ({@link TokenTrie#plainBelow}).
 */
final class TokenSlices {

    /** No slices: a walk from inside a character, or from a state with no run. */
    static final TokenSlices NONE = new TokenSlices(null, 0, false, null, 0, false);

    /** Classes of fewer characters have few tokens: their walks are short, a slice would not pay. */
    static final int MIN_CLASS_CHARS = 8;

    private final TokenTrie trie;
    private final int plain;
    private final boolean plainWall;
    private final TokenTrie.ClassSlice ascii;
    private final int asciiRun;
    private final boolean asciiWall;

    private TokenSlices(TokenTrie trie, int plain, boolean plainWall, TokenTrie.ClassSlice ascii, int asciiRun,
            boolean asciiWall) {
        this.trie = trie;
        this.plain = plain;
        this.plainWall = plainWall;
        this.ascii = ascii;
        this.asciiRun = asciiRun;
        this.asciiWall = asciiWall;
    }

    /** The slices of state {@code s} of {@code automaton}, for walks over {@code trie}. */
    static TokenSlices of(LiveAutomaton automaton, int s, TokenTrie trie) {
        int plain = Math.min(automaton.plainRun(s), trie.longestPlain());
        if (plain > 0) {
            return new TokenSlices(trie, plain, automaton.plainWall(s), null, 0, false);
        }
        LiveAutomaton.ClassRun run = automaton.classRun(s, trie.maxDepth());
        if (run.run() == 0 || run.chars().size() < MIN_CLASS_CHARS) {
            return NONE;
        }
        int longest = TokenTrie.NOT_IN_CLASS - 1;
        return new TokenSlices(trie, 0, false, trie.asciiClass(run.chars()), Math.min(run.run(), longest),
                run.wall() && run.run() <= longest);
    }

    /** Whether the slices are of plain text. */
    boolean plainSliced() {
        return plain > 0;
    }

    /** The ASCII class's slice, or null (plain slices, or none). */
    TokenTrie.ClassSlice classSlice() {
        return ascii;
    }

    /** How many characters of the class may follow whatever they are (capped at the class's longest token). */
    int classRun() {
        return asciiRun;
    }

    /** Whether no character of the class leads on after {@link #classRun} of them. */
    boolean classWall() {
        return asciiWall;
    }

    /** Sets the bits of the tokens allowed at once (call before the walk). */
    void start(long[] bits) {
        if (plain > 0) {
            long[] slice = trie.plainUpTo(plain);
            for (int w = 0; w < slice.length && w < bits.length; w++) {
                bits[w] |= slice[w];
            }
        }
        if (ascii != null) {
            ascii.setUpTo(asciiRun, bits);
        }
    }

    /**
     * Whether the walk may jump over node {@code n}'s subtree: its tokens are all of a slice, so each is
     * either allowed (and its bit set by {@link #start}) or, past a wall, never allowed.
     */
    boolean skip(int n, long[] bits) {
        if (plain > 0) {
            int most = trie.plainMax(n);
            return most <= plain || (plainWall && most != Integer.MAX_VALUE);
        }
        if (ascii != null) {
            int most = ascii.most(n);
            if (most == TokenTrie.NOT_IN_CLASS) {
                return false;
            }
            if (most <= asciiRun) {
                return true; // set by start
            }
            // past a wall every token here is too long, as tokens of the class have a byte a character;
            // short ones under a longer one are not set at once, so their subtree is walked
            return asciiWall && trie.depth(n) > asciiRun;
        }
        return false;
    }
}
