package dev.sextant.plugins.constraints;

import java.util.Arrays;

/**
 * A deterministic automaton over UTF-16 chars read as code points (see {@link CodePoints}), with the
 * states from which its text can still be completed ({@code live}, filled in by the owner): the two
 * questions every token walk asks of it, shared by {@link AutomatonConstraint} and {@link GrammarMachine}.
 */
final class LiveAutomaton {

    private final RunTable run;
    private final char[] points;
    private final boolean[] live;
    /** {@link #plainRun}, {@link #plainWall} and {@link #plainStep} of every state, computed on first use. */
    private volatile Runs plain;

    /**
     * Per state, its plain run, whether the run ends at a wall (see {@link #runsAndWalls}) and where every
     * plain character leads (see {@link #plainStep}).
     */
    private record Runs(int[] runs, boolean[] walls, int[] next) {
    }

    /** States where the text may go on outside this automaton (a grammar's pops and calls), or null. */
    private final boolean[] exits;
    /**
     * Per state, its live successors on the ASCII characters, filled on the state's first ASCII step
     * (a token walk steps a few states over and over, mostly on ASCII; the automaton itself finds a
     * character's interval by binary search).
     */
    private final int[][] ascii;
    /** Per state, whether a character begun by each lead byte can lead on (0 unknown, 1 yes, 2 no). */
    private final byte[][] leads;
    /** The scratch of {@link #runOver} (under this object's lock), see {@link #searchIndex()}. */
    private int[] searchIndex;
    /** Per state, its {@link ClassRun}, made on first use. */
    private final ClassRun[] classRuns;
    /** Per ASCII class searched, the runs of the states over it (see {@link #runOver}). */
    private final java.util.Map<TokenTrie.AsciiClass, ClassTable> classTables = new java.util.HashMap<>();
    /** How many times {@link #classRun} narrows a class (each narrowing is one search). */
    private static final int MAX_NARROWINGS = 2;
    /** The most states {@link #withoutStoppers} looks at. */
    private static final int MAX_STOPPER_STATES = 512;

    /**
     * A state's ASCII class (the plain ASCII characters that lead from it to a live state, or a part of
     * them that runs longer; see {@link #classRun}), how many
     * characters of the class may follow whatever they are ({@code run}, as {@link #plainRun} is for
     * plain text), and whether the run ends at a wall (see {@link #plainWall}).
     */
    record ClassRun(TokenTrie.AsciiClass chars, int run, boolean wall) {
    }

    /** The most states a class run's search visits before giving up (run 0). */
    private static final int MAX_REACHED = 4096;

    LiveAutomaton(RunTable run, boolean[] live) {
        this(run, live, null);
    }

    /**
     * @param exits per state, whether the text may leave this automaton there (a rule that may complete
     *     and return to its caller, or call another rule), where characters this automaton does not read
     *     may still follow; null when there are none
     */
    LiveAutomaton(RunTable run, boolean[] live, boolean[] exits) {
        this.run = run;
        this.points = run.getCharIntervals();
        this.live = live;
        this.exits = exits;
        this.ascii = new int[live.length][];
        this.classRuns = new ClassRun[live.length];
        this.leads = new byte[live.length][];
    }

    /**
     * Whether the {@code need} UTF-8 bytes still missing from a character begun with payload {@code cp}
     * (and at least {@code min}) can make one that leads on from state {@code s}. Right after a lead
     * byte (every multi-byte character a walk meets starts so) the answer is cached per state and byte.
     */
    boolean completable(int s, int need, int cp, int min) {
        int lead = need == 1 && min == 0x80 ? cp : need == 2 && min == 0x800 ? 32 + cp : need == 3 ? 48 + cp : -1;
        byte[] row = null;
        if (lead >= 0) {
            row = leads[s];
            if (row == null) {
                row = new byte[56];
                leads[s] = row; // a benign race: every thread fills in the same answers
            }
            if (row[lead] != 0) {
                return row[lead] == 1;
            }
        }
        int shift = 6 * need;
        int lo = Math.max(cp << shift, min);
        int hi = Math.min((cp << shift) | ((1 << shift) - 1), CodePoints.MAX);
        if (lo > hi) {
            return false;
        }
        if (hi <= 0xFFFF && (lo < 0xD800 || hi > 0xDFFF) && plainRun(s) > 0) {
            return true; // every plain character leads on, and the range holds one (all above 0x7F are, but surrogates)
        }
        boolean can = anyCodePoint(s, lo, hi);
        if (row != null) {
            row[lead] = (byte) (can ? 1 : 2);
        }
        return can;
    }

    /**
     * The ASCII class of state {@code s} and its run: the distance, over characters of the class, to the
     * nearest state where one of them leaves the live states (unbounded where there is none). Where that
     * run is short and ends at no wall (a host name's {@code [a-z0-9.-]}, where a dot may not follow a
     * dot), the class is narrowed by the characters that leave the live states somewhere on the way (to
     * {@code [a-z0-9]}, which may run on), and the narrower class is taken when its run is longer: far more
     * tokens are words than dots. {@code maxLength} caps the run (no token is longer).
     */
    synchronized ClassRun classRun(int s, int maxLength) {
        ClassRun found = classRuns[s];
        if (found != null) {
            return found;
        }
        TokenTrie.AsciiClass tried = asciiClass(s);
        ClassRun best = tried.isEmpty() ? new ClassRun(tried, 0, false) : runOver(s, tried, maxLength);
        for (int k = 0; k < MAX_NARROWINGS && best.run() > 0 && best.run() <= maxLength && !best.wall(); k++) {
            TokenTrie.AsciiClass narrower = withoutStoppers(s, tried, runOver(s, tried, maxLength).run());
            if (narrower == null || narrower.equals(tried) || narrower.size() < TokenSlices.MIN_CLASS_CHARS) {
                break;
            }
            ClassRun candidate = runOver(s, narrower, maxLength);
            if (candidate.run() > best.run()) {
                best = candidate;
            }
            tried = narrower;
        }
        classRuns[s] = best;
        return best;
    }

    /**
     * The class {@code chars} without the characters that lead to where its run of {@code run} from state
     * {@code s} ends: those that step, fewer than {@code run} characters of the class away, into a state
     * where some character of the class leaves the live states (the dot into "a.", where a second dot
     * dies; a search forward of at most {@link #MAX_STOPPER_STATES} states; null beyond).
     */
    private TokenTrie.AsciiClass withoutStoppers(int s, TokenTrie.AsciiClass chars, int run) {
        long low = chars.low();
        long high = chars.high();
        // per state met, in the search index: 0 for a state that does not stop, 1 for one that does, 2 for the
        // start before it is reached again (it is not asked until then)
        int[] mark = searchIndex();
        int[] met = new int[16];
        int metCount = 0;
        int[] layer = {s};
        int layerSize = 1;
        mark[s] = 2;
        met[metCount++] = s;
        try {
            for (int distance = 0; distance < run && layerSize > 0; distance++) {
                int[] next = new int[16];
                int nextSize = 0;
                for (int i = 0; i < layerSize; i++) {
                    int u = layer[i];
                    for (int c = 0x20; c < 0x80; c++) {
                        int t = chars.contains(c) ? step(u, c) : -1;
                        if (t < 0) {
                            continue;
                        }
                        if (mark[t] == 2) {
                            mark[t] = stops(t, chars) ? 1 : 0;
                        } else if (mark[t] < 0) {
                            mark[t] = stops(t, chars) ? 1 : 0;
                            if (metCount == met.length) {
                                met = Arrays.copyOf(met, metCount * 2);
                            }
                            met[metCount++] = t;
                            if (mark[t] == 0) {
                                if (nextSize == next.length) {
                                    next = Arrays.copyOf(next, nextSize * 2);
                                }
                                next[nextSize++] = t;
                            }
                        }
                        if (mark[t] == 1) {
                            if (c < 64) {
                                low &= ~(1L << c);
                            } else {
                                high &= ~(1L << (c - 64));
                            }
                        }
                    }
                }
                if (metCount > MAX_STOPPER_STATES) {
                    return null;
                }
                layer = next;
                layerSize = nextSize;
            }
            return new TokenTrie.AsciiClass(low, high);
        } finally {
            clearSearch(met, metCount);
        }
    }

    /** Whether some character of {@code chars} leaves the live states from state {@code s}. */
    private boolean stops(int s, TokenTrie.AsciiClass chars) {
        for (int c = 0x20; c < 0x80; c++) {
            if (chars.contains(c) && step(s, c) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The run of state {@code s} over the characters {@code chars}, found for every state they reach from
     * {@code s} at once (a search forward, then backward from the states where one of them leads out),
     * and kept per class: the states of one string's content share their runs.
     */
    private ClassRun runOver(int s, TokenTrie.AsciiClass chars, int maxLength) {
        ClassTable table = classTables.computeIfAbsent(chars, c -> new ClassTable(live.length));
        if (table.runs[s] != null) {
            return table.runs[s];
        }
        char[] members = new char[128];
        int size = 0;
        for (int c = 0x20; c < 0x80; c++) {
            if (chars.contains(c)) {
                members[size++] = (char) c;
            }
        }
        // forward: the states the class reaches, their successors, and which of them are stopped
        int[] index = searchIndex();
        int[] reached = new int[16];
        int[][] successorRows = new int[16][];
        int count = 0;
        index[s] = count;
        reached[count++] = s;
        for (int k = 0; k < count; k++) {
            int u = reached[k];
            int[] next = new int[size];
            for (int i = 0; i < size; i++) {
                int t = step(u, members[i]);
                if (t >= 0 && index[t] < 0) {
                    if (count == reached.length) {
                        reached = Arrays.copyOf(reached, count * 2);
                        successorRows = Arrays.copyOf(successorRows, count * 2);
                    }
                    index[t] = count;
                    reached[count++] = t;
                }
                next[i] = t < 0 ? -1 : index[t];
            }
            successorRows[k] = next;
            if (count > MAX_REACHED) {
                clearSearch(reached, count);
                table.runs[s] = new ClassRun(chars, 0, false); // too large a region to be worth it
                return table.runs[s];
            }
        }
        clearSearch(reached, count);
        boolean[] exit = new boolean[count];
        for (int k = 0; k < count; k++) {
            exit[k] = exit(reached[k]);
        }
        // the distinct successors of the regions' states that every character of the class leads on from
        int[] runs = new int[count];
        boolean[] walls = new boolean[count];
        int[] edgeStart = new int[count + 1];
        int[] edges = new int[2 * count];
        int edgeCount = 0;
        for (int k = 0; k < count; k++) {
            edgeStart[k] = edgeCount;
            boolean anyDead = false;
            boolean anyLive = false;
            for (int t : successorRows[k]) {
                anyDead |= t < 0;
                anyLive |= t >= 0;
                if (t >= 0 && !contains(edges, edgeStart[k], edgeCount, t)) {
                    if (edgeCount == edges.length) {
                        edges = Arrays.copyOf(edges, 2 * edgeCount);
                    }
                    edges[edgeCount++] = t;
                }
            }
            walls[k] = !anyLive && !exit[k];
            runs[k] = anyDead ? 0 : Integer.MAX_VALUE;
            if (anyDead) {
                edgeCount = edgeStart[k];
            }
        }
        edgeStart[count] = edgeCount;
        runsAndWalls(edgeStart, edges, runs, walls, exit);
        for (int k = 0; k < count; k++) {
            int u = reached[k];
            if (table.runs[u] == null) {
                table.runs[u] = new ClassRun(chars, Math.min(runs[k], maxLength + 1), runs[k] <= maxLength && walls[k]);
            }
        }
        return table.runs[s];
    }

    /** Per state, its place in the search under way, or -1 (-1 everywhere between searches). */
    private int[] searchIndex() {
        if (searchIndex == null) {
            searchIndex = new int[live.length];
            Arrays.fill(searchIndex, -1);
        }
        return searchIndex;
    }

    /** Sets the search index of the states of a search back to -1. */
    private void clearSearch(int[] states, int count) {
        for (int k = 0; k < count; k++) {
            searchIndex[states[k]] = -1;
        }
    }

    /** The runs over one ASCII class of the states searched so far. */
    private static final class ClassTable {
        final ClassRun[] runs;

        ClassTable(int states) {
            runs = new ClassRun[states];
        }
    }

    /** The plain ASCII characters that lead from state {@code s} to a live state. */
    private TokenTrie.AsciiClass asciiClass(int s) {
        long low = 0;
        long high = 0;
        for (int c = 0x20; c < 0x80; c++) {
            if (TokenTrie.plain(c) && step(s, c) >= 0) {
                if (c < 64) {
                    low |= 1L << c;
                } else {
                    high |= 1L << (c - 64);
                }
            }
        }
        return new TokenTrie.AsciiClass(low, high);
    }

    /** Whether the text may go on outside this automaton at state {@code s} (see the constructor). */
    boolean exit(int s) {
        return exits != null && exits[s];
    }

    /** The live states after each ASCII character from state {@code s} (-1 where none): one step per interval. */
    private int[] asciiRow(int s) {
        int[] row = new int[0x80];
        for (int k = 0; k < points.length && points[k] < 0x80; k++) {
            int t = run.stepInterval(s, k);
            int to = k + 1 < points.length ? Math.min(points[k + 1], 0x80) : 0x80;
            Arrays.fill(row, points[k], to, t >= 0 && live[t] ? t : -1);
        }
        return row;
    }

    /** The live state after code point {@code cp} from state {@code s}, or -1. */
    int step(int s, int cp) {
        if (cp < 0x80) {
            int[] row = ascii[s];
            if (row == null) {
                row = asciiRow(s);
                ascii[s] = row; // a benign race: every thread fills the same row
            }
            return row[cp];
        }
        int t;
        if (cp < 0x10000) {
            t = run.step(s, (char) cp);
        } else {
            t = run.step(s, (char) CodePoints.high(cp));
            if (t >= 0) {
                t = run.step(t, (char) CodePoints.low(cp));
            }
        }
        return t >= 0 && live[t] ? t : -1;
    }

    /**
     * How many plain characters ({@link TokenTrie#plain}) may follow state {@code s} whatever they are:
     * every plain text of at most that many characters leads through live states, and some text one
     * character longer does not; {@link Integer#MAX_VALUE} when no plain text ever leaves the live
     * states (an unbounded string). 0 where some plain character ends the text's hope at once.
     */
    int plainRun(int s) {
        return plain().runs[s];
    }

    /** Every state's {@link #plainRun} (shared: do not modify), for walks that ask at every node. */
    int[] plainRuns() {
        return plain().runs;
    }

    /**
     * Whether the plain run of state {@code s} ends at a wall: after any {@link #plainRun} plain
     * characters, no plain character leads on (a string of bounded length), so a plain token longer
     * than the run is never allowed. No state on the way may be an exit, where other rules could read on.
     */
    boolean plainWall(int s) {
        return plain().walls[s];
    }

    /**
     * The live state every plain character leads to from state {@code s}: -1 where none leads on, -2 where
     * they part (lead to different states, or some nowhere).
     */
    int plainStep(int s) {
        return plain().next[s];
    }

    private Runs plain() {
        Runs p = plain;
        if (p == null) {
            synchronized (this) {
                p = plain;
                if (p == null) {
                    p = findPlainRuns();
                    plain = p;
                }
            }
        }
        return p;
    }

    /**
     * The plain runs of all states: the distance, over plain characters, to the nearest state that some
     * plain character leads out of the live states (a breadth-first search backwards from those), with
     * the walls and common steps. One pass over each state's row of the run table at the intervals that
     * hold plain characters; only the states where every plain character leads on keep their successors
     * (the others' runs are 0 whatever follows them), and those few, as one array.
     */
    private Runs findPlainRuns() {
        int[] plainIntervals = new int[points.length];
        int count = 0;
        for (int k = 0; k < points.length; k++) {
            int hi = k + 1 < points.length ? points[k + 1] - 1 : 0xFFFF;
            if (firstPlain(points[k], hi) >= 0) {
                plainIntervals[count++] = k;
            }
        }
        int states = run.getSize();
        int[] runs = new int[states];
        Arrays.fill(runs, Integer.MAX_VALUE);
        boolean[] walls = new boolean[states];
        int[] next = new int[states];
        // the distinct successors of the states that every plain character leads on from
        int[] edgeStart = new int[states + 1];
        int[] edges = new int[Math.max(16, states)];
        int edgeCount = 0;
        int[] seenFrom = new int[states];
        Arrays.fill(seenFrom, -1);
        for (int s = 0; s < states; s++) {
            edgeStart[s] = edgeCount;
            if (!live[s]) {
                next[s] = -2;
                runs[s] = 0;
                continue;
            }
            boolean anyDead = false;
            boolean anyLive = false;
            int common = count == 0 ? -2 : -3;
            for (int i = 0; i < count; i++) {
                int t = run.stepInterval(s, plainIntervals[i]);
                if (t < 0 || !live[t]) {
                    t = -1;
                    anyDead = true;
                } else {
                    anyLive = true;
                    if (seenFrom[t] != s) {
                        seenFrom[t] = s;
                        if (edgeCount == edges.length) {
                            edges = Arrays.copyOf(edges, edgeCount * 2);
                        }
                        edges[edgeCount++] = t;
                    }
                }
                common = common == -3 || common == t ? t : -2;
            }
            next[s] = common;
            walls[s] = !anyLive && !exit(s);
            if (anyDead) {
                runs[s] = 0;
                edgeCount = edgeStart[s];
            }
        }
        edgeStart[states] = edgeCount;
        runsAndWalls(edgeStart, edges, runs, walls, exits == null ? new boolean[states] : exits);
        return new Runs(runs, walls, next);
    }

    /**
     * Fills in the runs and walls of states over a class of characters. Given: {@code runs} 0 for the
     * states where some character of the class leaves the live states (or that are not live) and
     * {@link Integer#MAX_VALUE} for the others, whose distinct successors over the class are
     * {@code edges[edgeStart[s]]} up to {@code edgeStart[s + 1]} (none listed for the others); and
     * {@code walls} for the states of run 0 (no character of the class leads on, and the state is no
     * exit). A state's run becomes the distance, over the class, to the nearest state of run 0 (found
     * breadth first, backwards; {@link Integer#MAX_VALUE} where there is none); its run ends at a wall when,
     * not being an exit, every character leads to a run one shorter that does.
     */
    private static void runsAndWalls(int[] edgeStart, int[] edges, int[] runs, boolean[] walls, boolean[] exit) {
        int states = runs.length;
        int edgeCount = edgeStart[states];
        int[] predecessorStart = new int[states + 1];
        for (int e = 0; e < edgeCount; e++) {
            predecessorStart[edges[e] + 1]++;
        }
        for (int t = 0; t < states; t++) {
            predecessorStart[t + 1] += predecessorStart[t];
        }
        int[] predecessors = new int[edgeCount];
        int[] fill = Arrays.copyOf(predecessorStart, states);
        for (int s = 0; s < states; s++) {
            for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
                predecessors[fill[edges[e]]++] = s;
            }
        }
        int[] queue = new int[states];
        int tail = 0;
        for (int s = 0; s < states; s++) {
            if (runs[s] == 0) {
                queue[tail++] = s;
            }
        }
        for (int head = 0; head < tail; head++) {
            int t = queue[head];
            for (int p = predecessorStart[t]; p < predecessorStart[t + 1]; p++) {
                int s = predecessors[p];
                if (runs[s] == Integer.MAX_VALUE) {
                    runs[s] = runs[t] + 1;
                    queue[tail++] = s;
                }
            }
        }
        // walls, in the order of the runs
        for (int k = 0; k < tail; k++) {
            int s = queue[k];
            if (runs[s] > 0) {
                boolean wall = !exit[s];
                for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
                    wall &= runs[edges[e]] == runs[s] - 1 && walls[edges[e]];
                }
                walls[s] = wall;
            }
        }
    }

    /** Whether {@code values[from..to)} holds {@code value}. */
    private static boolean contains(int[] values, int from, int to, int value) {
        for (int i = from; i < to; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** The first plain char in {@code lo..hi}, or -1. */
    private static int firstPlain(int lo, int hi) {
        int c = Math.max(lo, 0x20);
        while (c <= hi) {
            if (c >= 0xD800 && c <= 0xDFFF) {
                c = 0xE000;
            } else if (TokenTrie.plain(c)) {
                return c;
            } else {
                c++;
            }
        }
        return -1;
    }

    /** Whether some code point in {@code lo..hi} (surrogates excluded) leads from {@code s} to a live state. */
    boolean anyCodePoint(int s, int lo, int hi) {
        if (anyUnit(s, lo, Math.min(hi, 0xD7FF)) || anyUnit(s, Math.max(lo, 0xE000), Math.min(hi, 0xFFFF))) {
            return true;
        }
        int from = Math.max(lo, 0x10000);
        if (from > hi) {
            return false;
        }
        int h1 = CodePoints.high(from);
        int h2 = CodePoints.high(hi);
        if (h1 == h2) {
            return anyPair(s, h1, h1, CodePoints.low(from), CodePoints.low(hi));
        }
        return anyPair(s, h1, h1, CodePoints.low(from), 0xDFFF)
                || (h1 + 1 <= h2 - 1 && anyPair(s, h1 + 1, h2 - 1, 0xDC00, 0xDFFF))
                || anyPair(s, h2, h2, 0xDC00, CodePoints.low(hi));
    }

    /** Whether a high surrogate in {@code h1..h2}, then a low one in {@code l1..l2}, leads to a live state. */
    private boolean anyPair(int s, int h1, int h2, int l1, int l2) {
        int k = interval(h1);
        for (int x = h1; x <= h2; ) {
            int t = run.step(s, (char) x);
            if (t >= 0 && anyUnit(t, l1, l2)) {
                return true;
            }
            if (++k >= points.length) {
                break;
            }
            x = points[k];
        }
        return false;
    }

    /** Whether some char in {@code lo..hi} leads from {@code s} to a live state. */
    private boolean anyUnit(int s, int lo, int hi) {
        if (lo > hi) {
            return false;
        }
        int k = interval(lo);
        for (int x = lo; x <= hi; ) {
            int t = run.step(s, (char) x);
            if (t >= 0 && live[t]) {
                return true;
            }
            if (++k >= points.length) {
                break;
            }
            x = points[k];
        }
        return false;
    }

    /** The index of the interval (of the automaton's char intervals) that holds char {@code c}. */
    private int interval(int c) {
        int k = Arrays.binarySearch(points, (char) c);
        return k >= 0 ? k : -k - 2;
    }
}
