package dev.sextant.plugins.constraints;

import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import dk.brics.automaton.Automaton;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A regular language over code points (a brics automaton over UTF-16 chars, see {@link CodePoints})
 * as a constraint on token byte strings. Tokens are walked byte by byte through a UTF-8 decoder into
 * the automaton: a token may end inside a multi-byte character when some completion of it leads on.
 * The allowed tokens of a state are found by walking the vocabulary's {@link TokenTrie} (a ruled-out
 * prefix rules out every token under it) and cached per automaton state, so each state's mask is
 * computed once for all rows and requests (up to {@link #MAX_CACHED_BYTES} of masks per constraint);
 * states inside a character are not cached.
 */
final class AutomatonConstraint implements Constraint {

    private final TokenBytes vocabulary;
    private final TokenTrie trie;
    private final RunTable run;
    private final boolean[] live;
    private final boolean[] canContinue;
    private final LiveAutomaton codePoints;
    private final AtomicReferenceArray<long[]> masks;
    /** Bytes of masks cached so far; past {@link #MAX_CACHED_BYTES} new masks are computed, not kept. */
    private final java.util.concurrent.atomic.AtomicLong cachedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final int words;

    /**
     * The most mask bytes one constraint keeps (32 MB: about 1300 states' masks at a 200k vocabulary), so
     * a schema with many states cannot fill the heap of a long-running server.
     */
    static final long MAX_CACHED_BYTES = Long.getLong("sextant.constraints.max-cached-bytes", 32L << 20);

    private final long maxCachedBytes;
    /** Whether walks may start at a class's frontier ({@link Frontier}); off only to test against. */
    private volatile boolean frontierWalks = true;
    /** How many walks started at a frontier (for tests). */
    private final java.util.concurrent.atomic.AtomicInteger frontierWalksTaken = new java.util.concurrent.atomic.AtomicInteger();

    AutomatonConstraint(Automaton automaton, TokenBytes vocabulary, TokenTrie trie) {
        this(automaton, vocabulary, trie, MAX_CACHED_BYTES);
    }

    AutomatonConstraint(Automaton automaton, TokenBytes vocabulary, TokenTrie trie, long maxCachedBytes) {
        this(automaton, vocabulary, trie, maxCachedBytes, false);
    }

    /**
     * @param minimal whether {@code automaton} is a minimal DFA already (a {@link Grammar}'s are): then it is
     *     not minimized again, which for a large schema costs as much as building the rest
     */
    AutomatonConstraint(Automaton automaton, TokenBytes vocabulary, TokenTrie trie, long maxCachedBytes,
            boolean minimal) {
        this.maxCachedBytes = maxCachedBytes;
        this.vocabulary = vocabulary;
        this.trie = trie;
        Automaton a = automaton;
        if (!minimal) {
            a = automaton.clone();
            a.determinize();
            Minimizer.minimize(a);
        }
        this.run = new RunTable(a);
        char[] points = run.getCharIntervals();
        int states = run.getSize();
        // live: an accepting state can be reached (the generation can still be completed); found backwards
        // from the accepting states over each state's distinct successors
        int[][] successors = new int[states][];
        int[] predecessorCount = new int[states];
        int[] seenFrom = new int[states];
        Arrays.fill(seenFrom, -1);
        int[] next = new int[points.length];
        for (int s = 0; s < states; s++) {
            int k = 0;
            for (int i = run.spansOf(s); i < run.spansOf(s + 1); i++) {
                int t = run.spanTarget(i);
                if (seenFrom[t] != s) {
                    seenFrom[t] = s;
                    next[k++] = t;
                    predecessorCount[t]++;
                }
            }
            successors[s] = Arrays.copyOf(next, k);
        }
        int[][] predecessors = new int[states][];
        for (int t = 0; t < states; t++) {
            predecessors[t] = new int[predecessorCount[t]];
            predecessorCount[t] = 0;
        }
        for (int s = 0; s < states; s++) {
            for (int t : successors[s]) {
                predecessors[t][predecessorCount[t]++] = s;
            }
        }
        live = new boolean[states];
        int[] queue = new int[states];
        int tail = 0;
        for (int s = 0; s < states; s++) {
            if (run.isAccept(s)) {
                live[s] = true;
                queue[tail++] = s;
            }
        }
        for (int head = 0; head < tail; head++) {
            for (int s : predecessors[queue[head]]) {
                if (!live[s]) {
                    live[s] = true;
                    queue[tail++] = s;
                }
            }
        }
        canContinue = new boolean[states];
        for (int s = 0; s < states; s++) {
            for (int t : successors[s]) {
                canContinue[s] |= live[t];
            }
        }
        codePoints = new LiveAutomaton(run, live);
        masks = new AtomicReferenceArray<>(states);
        words = (vocabulary.size() + 63) / 64;
    }

    @Override
    public ConstraintState start() {
        int s = run.getInitialState();
        return new State(live[s] ? s : -1, 0, 0, 0);
    }

    @Override
    public TokenBytes vocabulary() {
        return vocabulary;
    }

    /** Bytes of token masks this constraint keeps now. */
    long cachedMaskBytes() {
        return cachedBytes.get();
    }

    /** The automaton the walks step through (for tests). */
    LiveAutomaton automaton() {
        return codePoints;
    }

    /** Walks the whole trie from every state from now on, to test frontier walks against (masks already kept stay). */
    void walkWholeTrie() {
        frontierWalks = false;
    }

    /** How many walks started at a class's frontier so far (for tests). */
    int frontierWalksTaken() {
        return frontierWalksTaken.get();
    }

    /** The automaton's start state (for tests). */
    int initialState() {
        return run.getInitialState();
    }

    /** Whether nothing at all can be generated (the pattern matches no string). */
    boolean empty() {
        return !live[run.getInitialState()];
    }

    // ---- stepping: a state is (automaton state, UTF-8 bytes still needed, code point so far, its minimum)

    /** The tokens allowed from a state between characters (cached) or inside one. */
    private long[] mask(int s, int need, int cp, int min) {
        if (need == 0) {
            long[] cached = masks.get(s);
            if (cached == null) {
                cached = walk(s, 0, 0, 0);
                long size = 16L + 8L * cached.length;
                if (cachedBytes.addAndGet(size) <= maxCachedBytes) {
                    if (!masks.compareAndSet(s, null, cached)) {
                        cachedBytes.addAndGet(-size);
                    }
                } else {
                    cachedBytes.addAndGet(-size);
                }
            }
            return cached;
        }
        return walk(s, need, cp, min);
    }

    /** Walks the trie from a state, marking every token whose bytes keep the text completable. */
    private long[] walk(int s0, int need0, int cp0, int min0) {
        long[] bits = new long[words];
        int depth = trie.maxDepth() + 1;
        int[] st = new int[depth];
        int[] need = new int[depth];
        int[] cp = new int[depth];
        int[] min = new int[depth];
        st[0] = s0;
        need[0] = need0;
        cp[0] = cp0;
        min[0] = min0;
        // the tokens of the slices this state allows whatever they are: set at once, their subtrees skipped
        TokenSlices slices = need0 == 0 ? TokenSlices.of(codePoints, s0, trie) : TokenSlices.NONE;
        slices.start(bits);
        int[] runs = codePoints.plainRuns();
        Frontier plan = need0 == 0 && frontierWalks ? Frontier.plan(codePoints, slices, s0, trie, bits) : null;
        if (plan == null) {
            walk(1, trie.nodes(), slices, bits, st, need, cp, min, runs);
            return bits;
        }
        // the class's tokens are set; every other token leaves the class at a frontier node (see Frontier)
        FrontierNodes frontier = plan.nodes();
        int[] chain = plan.chain();
        frontierWalksTaken.incrementAndGet();
        for (int j = 0; j < chain.length; j++) {
            int s = chain[j];
            for (int g = frontier.groupsFrom(j); g < frontier.groupsFrom(j + 1); g++) {
                if (!Frontier.opens(codePoints, s, frontier.groupByte(g))) {
                    continue;
                }
                for (int k = frontier.groupStart(g); k < frontier.groupStart(g + 1); k++) {
                    int m = frontier.node(k);
                    // the state before the node, at its parent's depth (j characters take j bytes or more)
                    int d = trie.depth(m) - 1;
                    st[d] = s;
                    need[d] = 0;
                    cp[d] = 0;
                    min[d] = 0;
                    walk(m, trie.subtreeEnd(m), TokenSlices.NONE, bits, st, need, cp, min, runs);
                }
            }
        }
        plan.markTails(codePoints, trie, bits);
        return bits;
    }

    /**
     * Walks the nodes {@code from} up to {@code to} (a subtree, or the whole trie from 1), the state before
     * the first one at its depth less one in the stacks {@code st}, {@code need}, {@code cp} and {@code min}.
     */
    private void walk(int from, int to, TokenSlices slices, long[] bits, int[] st, int[] need, int[] cp, int[] min,
            int[] runs) {
        int n = from;
        while (n < to) {
            if (slices.skip(n, bits)) {
                n = trie.subtreeEnd(n);
                continue;
            }
            int d = trie.depth(n);
            int b = trie.label(n);
            int s = st[d - 1];
            int pn = need[d - 1];
            int pc = cp[d - 1];
            int pm = min[d - 1];
            int ns;
            int nn;
            int nc;
            int nm;
            if (pn == 0) {
                if (b < 0x80) {
                    ns = codePoints.step(s, b);
                    nn = 0;
                    nc = 0;
                    nm = 0;
                } else if (b >= 0xC2 && b <= 0xDF) {
                    ns = s;
                    nn = 1;
                    nc = b & 0x1F;
                    nm = 0x80;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    ns = s;
                    nn = 2;
                    nc = b & 0x0F;
                    nm = 0x800;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    ns = s;
                    nn = 3;
                    nc = b & 0x07;
                    nm = 0x10000;
                } else {
                    ns = -1;
                    nn = 0;
                    nc = 0;
                    nm = 0;
                }
            } else if ((b & 0xC0) != 0x80) {
                ns = -1;
                nn = 0;
                nc = 0;
                nm = 0;
            } else {
                nc = pc << 6 | (b & 0x3F);
                nn = pn - 1;
                nm = pm;
                if (nn == 0) {
                    boolean valid = nc >= pm && nc <= CodePoints.MAX && (nc < 0xD800 || nc > 0xDFFF);
                    ns = valid ? codePoints.step(s, nc) : -1;
                    nc = 0;
                    nm = 0;
                } else {
                    ns = s;
                }
            }
            if (ns >= 0 && nn > 0 && !completable(ns, nn, nc, nm)) {
                ns = -1;
            }
            if (ns < 0) {
                n = trie.subtreeEnd(n);
                continue;
            }
            if (nn == 0 && trie.plainBelow(n, runs[ns])) {
                // everything under the node goes on with plain text the state takes whatever it is
                trie.markSubtree(n, bits);
                n = trie.subtreeEnd(n);
                continue;
            }
            st[d] = ns;
            need[d] = nn;
            cp[d] = nc;
            min[d] = nm;
            trie.markTokens(n, bits);
            n++;
        }
    }

    /** Whether the {@code need} bytes still missing from a character can make one that leads on. */
    private boolean completable(int s, int need, int cp, int min) {
        return codePoints.completable(s, need, cp, min);
    }

    /** One row's position. */
    private final class State implements ConstraintState {
        private int s;
        private int need;
        private int cp;
        private int min;

        State(int s, int need, int cp, int min) {
            this.s = s;
            this.need = need;
            this.cp = cp;
            this.min = min;
        }

        @Override
        public void allowed(long[] allowed) {
            if (s < 0) {
                Arrays.fill(allowed, 0, words, 0L);
                return;
            }
            System.arraycopy(mask(s, need, cp, min), 0, allowed, 0, words); // every word: no clearing first
            if (complete()) {
                for (int id : vocabulary.endIds()) {
                    allowed[id >>> 6] |= 1L << id;
                }
            }
        }

        @Override
        public boolean advance(int token) {
            if (s < 0 || token < 0 || token >= vocabulary.size()) {
                return false;
            }
            if (vocabulary.endIds().contains(token)) {
                return complete();
            }
            byte[] bytes = vocabulary.bytes(token);
            if (bytes == null || bytes.length == 0) {
                return false;
            }
            // walk the token's bytes as the mask walk would (the same rule, without computing a mask)
            int ns = s;
            int nn = need;
            int nc = cp;
            int nm = min;
            for (byte value : bytes) {
                int b = value & 0xFF;
                if (nn == 0) {
                    if (b < 0x80) {
                        ns = codePoints.step(ns, b);
                    } else if (b >= 0xC2 && b <= 0xF4) {
                        nn = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
                        nc = b & (nn == 3 ? 0x07 : nn == 2 ? 0x0F : 0x1F);
                        nm = nn == 3 ? 0x10000 : nn == 2 ? 0x800 : 0x80;
                    } else {
                        ns = -1;
                    }
                } else if ((b & 0xC0) != 0x80) {
                    ns = -1;
                } else {
                    nc = nc << 6 | (b & 0x3F);
                    if (--nn == 0) {
                        boolean valid = nc >= nm && nc <= CodePoints.MAX && (nc < 0xD800 || nc > 0xDFFF);
                        ns = valid ? codePoints.step(ns, nc) : -1;
                        nc = 0;
                        nm = 0;
                    }
                }
                if (ns < 0) {
                    return false;
                }
            }
            if (nn > 0 && !completable(ns, nn, nc, nm)) {
                return false;
            }
            s = ns;
            need = nn;
            cp = nc;
            min = nm;
            return true;
        }

        @Override
        public boolean complete() {
            return s >= 0 && need == 0 && run.isAccept(s);
        }

        @Override
        public boolean finished() {
            return complete() && !canContinue[s];
        }

        @Override
        public ConstraintState copy() {
            return new State(s, need, cp, min);
        }
    }
}
