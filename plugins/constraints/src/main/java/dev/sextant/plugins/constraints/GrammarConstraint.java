package dev.sextant.plugins.constraints;

import dev.sextant.plugins.constraints.GrammarMachine.Closure;
import dev.sextant.plugins.constraints.GrammarMachine.Frame;
import dev.sextant.spi.constraint.Constraint;
import dev.sextant.spi.constraint.ConstraintState;
import dev.sextant.spi.constraint.TokenBytes;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A context-free {@link Grammar} as a constraint on token byte strings: a row's position is a set of
 * stacks ({@link GrammarMachine}), and a token is allowed when walking its bytes (through a UTF-8
 * decoder, as {@link AutomatonConstraint} does) leaves some stack that can still complete the text.
 *
 * <p>Masks are computed per stack by walking the vocabulary's trie and cached. A walk reads only the
 * top of a stack and the frames that tokens pop down to (a token closes at most a few rules), so the
 * cached mask is keyed by just those frames and serves every deeper stack that ends in them: the masks
 * of a nested JSON value at depth 7 are those at depth 6. At most {@link AutomatonConstraint#MAX_CACHED_BYTES}
 * of masks are kept per constraint.
 */
final class GrammarConstraint implements Constraint {

    /** A cached mask: the frames it depends on (rule and state pairs from the top down). */
    private record Cached(int[] frames, boolean whole, long[] mask) {

        boolean fits(Frame f) {
            Frame at = f;
            for (int k = 0; k < frames.length; k += 2) {
                if (at == null || at.rule != frames[k] || at.state != frames[k + 1]) {
                    return false;
                }
                at = at.parent;
            }
            return !whole || at == null;
        }
    }

    private final GrammarMachine machine;
    private final TokenBytes vocabulary;
    private final TokenTrie trie;
    private final int words;
    private final ConcurrentHashMap<Long, List<Cached>> masks = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();
    private final long maxCachedBytes;
    /** Whether walks may start at a class's frontier ({@link Frontier}); off only to test against. */
    private volatile boolean frontierWalks = true;
    /** How many walks started at a frontier (for tests). */
    private final AtomicInteger frontierWalksTaken = new AtomicInteger();

    GrammarConstraint(GrammarMachine machine, TokenBytes vocabulary, TokenTrie trie) {
        this(machine, vocabulary, trie, AutomatonConstraint.MAX_CACHED_BYTES);
    }

    GrammarConstraint(GrammarMachine machine, TokenBytes vocabulary, TokenTrie trie, long maxCachedBytes) {
        this.machine = machine;
        this.vocabulary = vocabulary;
        this.trie = trie;
        this.words = (vocabulary.size() + 63) / 64;
        this.maxCachedBytes = maxCachedBytes;
    }

    @Override
    public ConstraintState start() {
        Closure c = machine.close(List.of(machine.root()));
        return new State(c.frames(), c.complete(), 0, 0, 0);
    }

    @Override
    public TokenBytes vocabulary() {
        return vocabulary;
    }

    /** Walks the whole trie from every stack from now on, to test frontier walks against. */
    void walkWholeTrie() {
        frontierWalks = false;
    }

    /** How many walks started at a class's frontier so far (for tests). */
    int frontierWalksTaken() {
        return frontierWalksTaken.get();
    }

    /** Bytes of token masks this constraint keeps now. */
    long cachedMaskBytes() {
        return cachedBytes.get();
    }

    /** The tokens allowed from one stack between characters, cached by the frames the walk read. */
    private long[] mask(Frame f) {
        long key = (long) f.rule << 32 | f.state;
        List<Cached> list = masks.get(key);
        if (list != null) {
            for (Cached c : list) {
                if (c.fits(f)) {
                    return c.mask;
                }
            }
        }
        long[] bits = new long[words];
        int lowest = walk(List.of(f), 0, 0, 0, machine.slices(f.rule, f.state, trie), bits);
        // frames from the top down to the one below the lowest that completed; all of them if that was the bottom
        boolean whole = lowest <= 1;
        int count = whole ? f.height : Math.max(1, Math.min(f.height, f.height - lowest + 2));
        int[] frames = new int[2 * count];
        Frame at = f;
        for (int k = 0; k < count; k++) {
            frames[2 * k] = at.rule;
            frames[2 * k + 1] = at.state;
            at = at.parent;
        }
        long size = 64L + 8L * bits.length + 4L * frames.length;
        if (cachedBytes.addAndGet(size) <= maxCachedBytes) {
            masks.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new Cached(frames, whole, bits));
        } else {
            cachedBytes.addAndGet(-size);
        }
        return bits;
    }

    /**
     * Walks the trie from a set of closed stacks, setting the bits of every token whose bytes leave the
     * text completable; returns the lowest height of a frame completed on the way. The tokens of the top
     * frame's {@link TokenSlices} are decided at once, without walking their bytes; that closes nothing
     * the cache key must hold, since the top frame alone decides them.
     */
    @SuppressWarnings("unchecked")
    private int walk(List<Frame> from, int need0, int cp0, int min0, TokenSlices slices, long[] bits) {
        int depth = trie.maxDepth() + 1;
        // a level is either a set of stacks, or (the common case, kept without allocating) one stack whose
        // top is inside its rule: rule[d], state[d] over the frames below[d], where nothing pops or calls
        List<Frame>[] sets = new List[depth];
        int[] rule = new int[depth];
        int[] state = new int[depth];
        Frame[] below = new Frame[depth];
        int[] need = new int[depth];
        int[] cp = new int[depth];
        int[] min = new int[depth];
        sets[0] = from;
        if (from.size() == 1 && !machine.exit(from.get(0).rule, from.get(0).state)) {
            Frame f = from.get(0);
            sets[0] = null;
            rule[0] = f.rule;
            state[0] = f.state;
            below[0] = f.parent;
        }
        need[0] = need0;
        cp[0] = cp0;
        min[0] = min0;
        slices.start(bits);
        Frontier plan = sets[0] == null && need0 == 0 && frontierWalks
                ? Frontier.plan(machine.automaton(rule[0]), slices, state[0], trie, bits) : null;
        if (plan == null) {
            return walk(1, trie.nodes(), slices, bits, sets, rule, state, below, need, cp, min);
        }
        // the class's tokens are set; every other token leaves the class at a frontier node (see Frontier),
        // inside the top frame's rule all the way there
        frontierWalksTaken.incrementAndGet();
        FrontierNodes frontier = plan.nodes();
        int[] chain = plan.chain();
        LiveAutomaton top = machine.automaton(rule[0]);
        int lowest = Integer.MAX_VALUE;
        int topRule = rule[0];
        Frame base = below[0];
        for (int j = 0; j < chain.length; j++) {
            for (int g = frontier.groupsFrom(j); g < frontier.groupsFrom(j + 1); g++) {
                int b = frontier.groupByte(g);
                if (!Frontier.opens(top, chain[j], b)) {
                    continue;
                }
                // the position after the group's byte is the same for all its nodes: stepped once (a
                // string's closing quote closes and pops alike after any plain text)
                int first = trie.depth(frontier.node(frontier.groupStart(g)));
                sets[first - 1] = null;
                rule[first - 1] = topRule;
                state[first - 1] = chain[j];
                below[first - 1] = base;
                need[first - 1] = 0;
                cp[first - 1] = 0;
                min[first - 1] = 0;
                long stepped = step(b, first, sets, rule, state, below, need, cp, min);
                lowest = Math.min(lowest, (int) stepped);
                if (stepped >>> 32 == 0) {
                    continue;
                }
                List<Frame> gSets = sets[first];
                int gRule = rule[first];
                int gState = state[first];
                Frame gBelow = below[first];
                int gNeed = need[first];
                int gCp = cp[first];
                int gMin = min[first];
                boolean plainRest = gSets == null && gNeed == 0;
                int gRun = plainRest ? machine.plainRun(gRule, gState) : 0;
                for (int k = frontier.groupStart(g); k < frontier.groupStart(g + 1); k++) {
                    int m = frontier.node(k);
                    if (plainRest && trie.plainBelow(m, gRun)) {
                        trie.markSubtree(m, bits);
                        continue;
                    }
                    // the node's position, at its depth (j characters take j bytes or more), then its subtree
                    int d = trie.depth(m);
                    sets[d] = gSets;
                    rule[d] = gRule;
                    state[d] = gState;
                    below[d] = gBelow;
                    need[d] = gNeed;
                    cp[d] = gCp;
                    min[d] = gMin;
                    trie.markTokens(m, bits);
                    lowest = Math.min(lowest, walk(m + 1, trie.subtreeEnd(m), TokenSlices.NONE, bits, sets, rule, state,
                            below, need, cp, min));
                }
            }
        }
        plan.markTails(top, trie, bits);
        return lowest;
    }

    /**
     * Walks the nodes {@code from} up to {@code to} (a subtree, or the whole trie from 1), the position
     * before the first one at its depth less one in the levels ({@code sets}, or {@code rule}, {@code state}
     * and {@code below}; and {@code need}, {@code cp}, {@code min}); returns the lowest height of a frame
     * completed on the way.
     */
    private int walk(int from, int to, TokenSlices slices, long[] bits, List<Frame>[] sets, int[] rule, int[] state,
            Frame[] below, int[] need, int[] cp, int[] min) {
        int lowest = Integer.MAX_VALUE;
        int n = from;
        while (n < to) {
            if (slices.skip(n, bits)) {
                n = trie.subtreeEnd(n);
                continue;
            }
            int d = trie.depth(n);
            long stepped = step(trie.label(n), d, sets, rule, state, below, need, cp, min);
            lowest = Math.min(lowest, (int) stepped);
            if (stepped >>> 32 == 0) {
                n = trie.subtreeEnd(n);
                continue;
            }
            if (sets[d] == null && need[d] == 0 && trie.plainBelow(n, machine.plainRun(rule[d], state[d]))) {
                // one stack inside its rule, where everything under the node goes on with plain text the
                // rule takes whatever it is: as the top frame's slices, this closes nothing
                trie.markSubtree(n, bits);
                n = trie.subtreeEnd(n);
                continue;
            }
            trie.markTokens(n, bits);
            n++;
        }
        return lowest;
    }

    /**
     * Steps the position at level {@code d - 1} by byte {@code b} into level {@code d}: returns the lowest
     * height of a frame completed on the way (low 32 bits; {@link Integer#MAX_VALUE} where none), and in
     * bit 32 whether the text can still be completed.
     */
    private long step(int b, int d, List<Frame>[] sets, int[] rule, int[] state, Frame[] below, int[] need,
            int[] cp, int[] min) {
        int lowest = Integer.MAX_VALUE;
        List<Frame> s = sets[d - 1];
        int pn = need[d - 1];
        int pc = cp[d - 1];
        int pm = min[d - 1];
        boolean alive = false;
        List<Frame> ns = null;
        int nr = rule[d - 1];
        int nt = state[d - 1];
        int nn = 0;
        int nc = 0;
        int nm = 0;
        int point = -1;
        if (pn == 0) {
            if (b < 0x80) {
                point = b;
            } else if (b >= 0xC2 && b <= 0xF4) {
                alive = true;
                ns = s;
                nn = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
                nc = b & (nn == 3 ? 0x07 : nn == 2 ? 0x0F : 0x1F);
                nm = nn == 3 ? 0x10000 : nn == 2 ? 0x800 : 0x80;
            }
        } else if ((b & 0xC0) == 0x80) {
            nc = pc << 6 | (b & 0x3F);
            nn = pn - 1;
            nm = pm;
            if (nn == 0) {
                if (nc >= pm && nc <= CodePoints.MAX && (nc < 0xD800 || nc > 0xDFFF)) {
                    point = nc;
                }
                nc = 0;
                nm = 0;
            } else {
                alive = true;
                ns = s;
            }
        }
        if (point >= 0) {
            if (s == null) {
                nt = machine.stepCodePoint(nr, nt, point);
                if (nt >= 0 && !machine.exit(nr, nt)) {
                    alive = machine.reads(nr, nt);
                } else if (nt >= 0) {
                    s = List.of(new Frame(nr, nt, below[d - 1]));
                    point = -1;
                }
            }
            if (s != null) {
                Closure c = machine.close(point < 0 ? s : machine.step(s, point));
                lowest = c.lowest();
                ns = c.frames();
                alive = !ns.isEmpty() || c.complete();
            }
        }
        if (alive && nn > 0) {
            alive = ns == null ? completable(nr, nt, nn, nc, nm) : completable(ns, nn, nc, nm);
        }
        sets[d] = ns;
        rule[d] = nr;
        state[d] = nt;
        below[d] = below[d - 1];
        need[d] = nn;
        cp[d] = nc;
        min[d] = nm;
        return (alive ? 1L << 32 : 0L) | (lowest & 0xFFFFFFFFL);
    }

    /** {@link #completable(List, int, int, int)} for one stack whose top is state {@code s} of rule {@code r}. */
    private boolean completable(int r, int s, int need, int cp, int min) {
        return machine.completable(r, s, need, cp, min);
    }

    /** Whether the {@code need} bytes still missing from a character can make one that leads on. */
    private boolean completable(List<Frame> frames, int need, int cp, int min) {
        int shift = 6 * need;
        int lo = Math.max(cp << shift, min);
        int hi = Math.min((cp << shift) | ((1 << shift) - 1), CodePoints.MAX);
        return lo <= hi && machine.anyCodePoint(frames, lo, hi);
    }

    /** One row's position: closed stacks, whether the text is complete, and a partly read character. */
    private final class State implements ConstraintState {
        private List<Frame> frames;
        private boolean complete;
        private int need;
        private int cp;
        private int min;

        State(List<Frame> frames, boolean complete, int need, int cp, int min) {
            this.frames = frames;
            this.complete = complete;
            this.need = need;
            this.cp = cp;
            this.min = min;
        }

        @Override
        public void allowed(long[] allowed) {
            if (need == 0 && !frames.isEmpty()) {
                // the first stack's mask copied (no clearing first), the others' added
                System.arraycopy(mask(frames.get(0)), 0, allowed, 0, words);
                for (int k = 1; k < frames.size(); k++) {
                    long[] m = mask(frames.get(k));
                    for (int w = 0; w < words; w++) {
                        allowed[w] |= m[w];
                    }
                }
            } else {
                Arrays.fill(allowed, 0, words, 0L);
                if (need > 0) {
                    walk(frames, need, cp, min, TokenSlices.NONE, allowed);
                }
            }
            if (complete()) {
                for (int id : vocabulary.endIds()) {
                    allowed[id >>> 6] |= 1L << id;
                }
            }
        }

        @Override
        public boolean advance(int token) {
            if (token < 0 || token >= vocabulary.size()) {
                return false;
            }
            if (vocabulary.endIds().contains(token)) {
                return complete();
            }
            byte[] bytes = vocabulary.bytes(token);
            if (bytes == null || bytes.length == 0) {
                return false;
            }
            List<Frame> fs = frames;
            boolean comp = complete;
            int nn = need;
            int nc = cp;
            int nm = min;
            for (byte value : bytes) {
                int b = value & 0xFF;
                int point = -1;
                if (fs.isEmpty()) {
                    return false;
                }
                if (nn == 0) {
                    if (b < 0x80) {
                        point = b;
                    } else if (b >= 0xC2 && b <= 0xF4) {
                        nn = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
                        nc = b & (nn == 3 ? 0x07 : nn == 2 ? 0x0F : 0x1F);
                        nm = nn == 3 ? 0x10000 : nn == 2 ? 0x800 : 0x80;
                    } else {
                        return false;
                    }
                } else if ((b & 0xC0) != 0x80) {
                    return false;
                } else {
                    nc = nc << 6 | (b & 0x3F);
                    if (--nn == 0) {
                        if (nc < nm || nc > CodePoints.MAX || (nc >= 0xD800 && nc <= 0xDFFF)) {
                            return false;
                        }
                        point = nc;
                        nc = 0;
                        nm = 0;
                    }
                }
                if (point >= 0) {
                    Closure c = machine.close(machine.step(fs, point));
                    fs = c.frames();
                    comp = c.complete();
                    if (fs.isEmpty() && !comp) {
                        return false;
                    }
                }
            }
            if (nn > 0 && !completable(fs, nn, nc, nm)) {
                return false;
            }
            frames = fs;
            complete = comp;
            need = nn;
            cp = nc;
            min = nm;
            return true;
        }

        @Override
        public boolean complete() {
            return need == 0 && complete;
        }

        @Override
        public boolean finished() {
            return complete() && frames.isEmpty();
        }

        @Override
        public ConstraintState copy() {
            return new State(frames, complete, need, cp, min);
        }

        /** The deepest stack, for tests that steer walks toward the end. */
        int depth() {
            int d = 0;
            for (Frame f : frames) {
                d = Math.max(d, f.height);
            }
            return d;
        }
    }

    /** The depth of a state of this constraint (its deepest stack). */
    static int depth(ConstraintState state) {
        return ((State) state).depth();
    }
}
