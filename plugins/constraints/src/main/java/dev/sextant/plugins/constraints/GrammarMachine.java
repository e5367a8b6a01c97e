package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Grammar} made runnable: each automaton determinized and minimized, with the tables a
 * pushdown walk needs. Machine rule 0 is the top automaton and rule {@code i + 1} the grammar's rule
 * {@code i}. A position in the text is a set of stacks ({@link Frame}); a stack's top frame reads text
 * in its rule, a frame below it waits at the state after its call. Rules that read nothing, and calls
 * whose rule can never be completed, are handled here: {@link #close} takes every pop and push that
 * reads no text, so a closed set's frames are exactly those that can read a character next. Immutable
 * and thread-safe.
 */
final class GrammarMachine {

    /** A stack of frames, persistent: pushing and stepping share the frames below. */
    static final class Frame {
        final int rule;
        final int state;
        final Frame parent;
        final int height;
        private final int hash;

        Frame(int rule, int state, Frame parent) {
            this.rule = rule;
            this.state = state;
            this.parent = parent;
            this.height = parent == null ? 1 : parent.height + 1;
            this.hash = (rule * 31 + state) * 31 + (parent == null ? 0 : parent.hash);
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Frame f) || f.hash != hash || f.rule != rule || f.state != state || f.height != height) {
                return false;
            }
            return parent == null ? f.parent == null : parent.equals(f.parent);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * Closed frames (each can read a character) and whether the text so far is complete. {@code lowest}
     * is the lowest height of a frame that was popped (completed) while closing, for callers that need
     * to know how deep into a stack a walk looked.
     */
    record Closure(List<Frame> frames, boolean complete, int lowest) {
    }

    private final RunTable[] run;
    private final char[][] points;
    private final boolean[][] accept;
    private final boolean[][] live;
    /** Whether a state has a character transition to a live state. */
    private final boolean[][] reads;
    /** A state's calls: {@code calls[r][s]} holds pairs (rule, state after the call). */
    private final int[][][] calls;
    private final boolean[] productive;
    private final int[] start;
    /** Each rule's automaton read as code points, with its live states. */
    private final LiveAutomaton[] text;
    private static final int[] NO_CALLS = new int[0];

    GrammarMachine(Grammar grammar) {
        int n = grammar.rules().size() + 1;
        run = new RunTable[n];
        points = new char[n][];
        accept = new boolean[n][];
        live = new boolean[n][];
        reads = new boolean[n][];
        calls = new int[n][][];
        productive = new boolean[n];
        start = new int[n];
        boolean[][] insidePair = new boolean[n][];
        for (int r = 0; r < n; r++) {
            // a grammar's automata are minimal DFAs already (read, not changed: no copy needed)
            Automaton a = r == 0 ? grammar.top() : grammar.rules().get(r - 1);
            if (!a.isDeterministic()) {
                a = a.clone();
                a.determinize();
            }
            run[r] = new RunTable(a);
            points[r] = run[r].getCharIntervals();
            start[r] = run[r].getInitialState();
            int states = run[r].getSize();
            int width = points[r].length;
            accept[r] = new boolean[states];
            insidePair[r] = new boolean[states];
            for (int s = 0; s < states; s++) {
                accept[r][s] = run[r].isAccept(s);
            }
            // the intervals whose first char is a high surrogate (a pair's first half) and those of calls (an
            // interval's first char decides, as everywhere below), met through each state's spans
            RunTable table = run[r];
            int highFrom = firstInterval(points[r], 0xD800);
            int highTo = firstInterval(points[r], 0xDC00);
            for (int s = 0; s < states; s++) {
                for (int i = table.spansOf(s); i < table.spansOf(s + 1); i++) {
                    if (table.spanFirst(i) < highTo && table.spanLast(i) >= highFrom) {
                        insidePair[r][table.spanTarget(i)] = true;
                    }
                }
            }
            int lastCall = Grammar.CALL_BASE + grammar.rules().size() - 1;
            int callFrom = firstInterval(points[r], Grammar.CALL_BASE + 1) - 1; // the interval holding CALL_BASE
            int callTo = firstInterval(points[r], lastCall + 1);
            int[] found = new int[16];
            calls[r] = new int[states][];
            for (int s = 0; s < states; s++) {
                int size = 0;
                for (int i = table.spansOf(s); i < table.spansOf(s + 1) && !insidePair[r][s]; i++) {
                    for (int k = Math.max(table.spanFirst(i), callFrom); k <= Math.min(table.spanLast(i), callTo - 1); k++) {
                        int hi = k + 1 < width ? points[r][k + 1] - 1 : 0xFFFF;
                        for (int c = Math.max(points[r][k], Grammar.CALL_BASE); c <= Math.min(hi, lastCall); c++) {
                            if (size + 2 > found.length) {
                                found = Arrays.copyOf(found, found.length * 2);
                            }
                            found[size++] = c - Grammar.CALL_BASE + 1;
                            found[size++] = table.spanTarget(i);
                        }
                    }
                }
                calls[r][s] = size == 0 ? NO_CALLS : Arrays.copyOf(found, size);
            }
        }
        // live: a state from which the rule can be completed (text, or calls of rules that can be), found
        // backwards from the accepting states: over text steps, and over calls of productive rules (a rule is
        // productive once its start is live). One pass over the edges, where rounds over every state until
        // nothing changed took as many rounds as the longest text, a third of compiling a large schema.
        int[][][] textFrom = new int[n][][];
        int[][][] callFrom = new int[n][][]; // per target state: (state, callee) pairs
        List<List<int[]>> byCallee = new ArrayList<>(); // per callee: (rule, state, target) of its calls
        for (int q = 0; q < n; q++) {
            byCallee.add(new ArrayList<>());
        }
        for (int r = 0; r < n; r++) {
            int states = run[r].getSize();
            int width = points[r].length;
            int[] textBefore = textBefore(points[r]);
            int[] count = new int[states];
            int[] callCount = new int[states];
            for (int s = 0; s < states; s++) {
                // a state's successive spans may lead to one state: listed once (as below)
                int last = -1;
                for (int i = run[r].spansOf(s); i < run[r].spansOf(s + 1); i++) {
                    int t = textTarget(run[r], i, textBefore, insidePair[r][s]);
                    if (t >= 0 && t != last) {
                        count[t]++;
                    }
                    last = t;
                }
                for (int k = 0; k < calls[r][s].length; k += 2) {
                    callCount[calls[r][s][k + 1]]++;
                    byCallee.get(calls[r][s][k]).add(new int[] {r, s, calls[r][s][k + 1]});
                }
            }
            textFrom[r] = new int[states][];
            callFrom[r] = new int[states][];
            for (int t = 0; t < states; t++) {
                textFrom[r][t] = new int[count[t]];
                callFrom[r][t] = new int[2 * callCount[t]];
                count[t] = 0;
                callCount[t] = 0;
            }
            for (int s = 0; s < states; s++) {
                int last = -1;
                for (int i = run[r].spansOf(s); i < run[r].spansOf(s + 1); i++) {
                    int t = textTarget(run[r], i, textBefore, insidePair[r][s]);
                    if (t >= 0 && t != last) {
                        textFrom[r][t][count[t]++] = s;
                    }
                    last = t;
                }
                for (int k = 0; k < calls[r][s].length; k += 2) {
                    int t = calls[r][s][k + 1];
                    callFrom[r][t][2 * callCount[t]] = s;
                    callFrom[r][t][2 * callCount[t]++ + 1] = calls[r][s][k];
                }
            }
        }
        int total = 0;
        for (int r = 0; r < n; r++) {
            live[r] = new boolean[accept[r].length];
            total += accept[r].length;
        }
        int[] queueRule = new int[total];
        int[] queueState = new int[total];
        int tail = 0;
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < accept[r].length; s++) {
                if (accept[r][s]) {
                    live[r][s] = true;
                    queueRule[tail] = r;
                    queueState[tail++] = s;
                }
            }
        }
        for (int head = 0; head < tail; head++) {
            int r = queueRule[head];
            int t = queueState[head];
            for (int s : textFrom[r][t]) {
                if (!live[r][s]) {
                    live[r][s] = true;
                    queueRule[tail] = r;
                    queueState[tail++] = s;
                }
            }
            for (int k = 0; k < callFrom[r][t].length; k += 2) {
                int s = callFrom[r][t][k];
                if (productive[callFrom[r][t][k + 1]] && !live[r][s]) {
                    live[r][s] = true;
                    queueRule[tail] = r;
                    queueState[tail++] = s;
                }
            }
            if (t == start[r] && !productive[r]) {
                productive[r] = true;
                for (int[] call : byCallee.get(r)) {
                    if (live[call[0]][call[2]] && !live[call[0]][call[1]]) {
                        live[call[0]][call[1]] = true;
                        queueRule[tail] = call[0];
                        queueState[tail++] = call[1];
                    }
                }
            }
        }
        text = new LiveAutomaton[n];
        for (int r = 0; r < n; r++) {
            boolean[] exits = new boolean[live[r].length];
            for (int s = 0; s < exits.length; s++) {
                exits[s] = exit(r, s);
            }
            text[r] = new LiveAutomaton(run[r], live[r], exits);
            productive[r] = live[r][start[r]];
            reads[r] = new boolean[live[r].length];
            int[] textBefore = textBefore(points[r]);
            for (int s = 0; s < live[r].length; s++) {
                for (int i = run[r].spansOf(s); i < run[r].spansOf(s + 1) && !reads[r][s]; i++) {
                    int t = textTarget(run[r], i, textBefore, insidePair[r][s]);
                    // inside a pair (after a high surrogate) is live when some low surrogate leads on
                    reads[r][s] = t >= 0 && live[r][t];
                }
            }
        }
    }

    /**
     * How many of the intervals before each one (and before the end) are text, not calls, outside a surrogate
     * pair: an interval is text when its first char is not a low surrogate (calls are low surrogates).
     */
    private static int[] textBefore(char[] points) {
        int[] before = new int[points.length + 1];
        for (int k = 0; k < points.length; k++) {
            before[k + 1] = before[k] + (points[k] < Grammar.CALL_BASE || points[k] > 0xDFFF ? 1 : 0);
        }
        return before;
    }

    /**
     * The state span {@code i} of {@code table} leads to when some of its intervals are text (all are
     * inside a surrogate pair), else -1.
     */
    private static int textTarget(RunTable table, int i, int[] textBefore, boolean insidePair) {
        boolean text = insidePair || textBefore[table.spanLast(i) + 1] > textBefore[table.spanFirst(i)];
        return text ? table.spanTarget(i) : -1;
    }

    /** The first interval whose first char is at least {@code c} (the count of intervals where none is). */
    private static int firstInterval(char[] points, int c) {
        int k = Arrays.binarySearch(points, (char) Math.min(c, 0xFFFF));
        int at = k >= 0 ? k : -k - 1;
        return c > 0xFFFF ? points.length : at;
    }

    /** Rules (machine indices) that rule {@code r} may call before reading any text. */
    List<Integer> firstCalls(int r) {
        List<Integer> found = new ArrayList<>();
        boolean[] seen = new boolean[live[r].length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start[r]);
        seen[start[r]] = true;
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int k = 0; k < calls[r][s].length; k += 2) {
                int q = calls[r][s][k];
                int t = calls[r][s][k + 1];
                if (!found.contains(q)) {
                    found.add(q);
                }
                if (nullable(q) && !seen[t]) {
                    seen[t] = true;
                    queue.add(t);
                }
            }
        }
        return found;
    }

    /** Whether rule {@code q} can complete without reading text. */
    boolean nullable(int q) {
        boolean[] seen = new boolean[live[q].length];
        return nullable(q, start[q], seen, new HashSet<>());
    }

    private boolean nullable(int q, int s, boolean[] seen, Set<Integer> rulesOnPath) {
        if (accept[q][s]) {
            return true;
        }
        if (seen[s]) {
            return false;
        }
        seen[s] = true;
        rulesOnPath.add(q);
        for (int k = 0; k < calls[q][s].length; k += 2) {
            int callee = calls[q][s][k];
            if (!rulesOnPath.contains(callee) && nullable(callee, start[callee], new boolean[live[callee].length],
                    rulesOnPath) && nullable(q, calls[q][s][k + 1], seen, rulesOnPath)) {
                rulesOnPath.remove(q);
                return true;
            }
        }
        rulesOnPath.remove(q);
        return false;
    }

    int rules() {
        return run.length;
    }

    int start(int r) {
        return start[r];
    }

    boolean live(int r, int s) {
        return live[r][s];
    }

    /** The stack at the start of the text. */
    Frame root() {
        return new Frame(0, start[0], null);
    }

    /**
     * Every stack reachable from {@code frames} without reading text: a frame in an accepting state pops
     * to the one below it (or completes the text at the bottom); a frame at a call pushes the called
     * rule. Kept are the frames that can read a character.
     */
    Closure close(List<Frame> frames) {
        if (frames.size() == 1) {
            // the common case: one stack in the middle of a rule, nothing to pop or push
            Frame f = frames.get(0);
            if (!accept[f.rule][f.state] && calls[f.rule][f.state].length == 0) {
                return new Closure(reads[f.rule][f.state] ? frames : List.of(), false, Integer.MAX_VALUE);
            }
        }
        List<Frame> out = new ArrayList<>(frames.size());
        ArrayDeque<Frame> work = new ArrayDeque<>(frames);
        Set<Frame> seen = new HashSet<>();
        boolean complete = false;
        int lowest = Integer.MAX_VALUE;
        while (!work.isEmpty()) {
            Frame f = work.poll();
            if (!seen.add(f)) {
                continue;
            }
            if (reads[f.rule][f.state]) {
                out.add(f);
            }
            if (accept[f.rule][f.state]) {
                lowest = Math.min(lowest, f.height);
                if (f.parent == null) {
                    complete = true;
                } else {
                    work.add(f.parent);
                }
            }
            int[] c = calls[f.rule][f.state];
            for (int k = 0; k < c.length; k += 2) {
                int q = c[k];
                int t = c[k + 1];
                if (productive[q] && live[f.rule][t]) {
                    work.add(new Frame(q, start[q], new Frame(f.rule, t, f.parent)));
                }
            }
        }
        return new Closure(out, complete, lowest);
    }

    /** The frames after code point {@code cp} (not yet closed). */
    List<Frame> step(List<Frame> frames, int cp) {
        if (frames.size() == 1) {
            Frame f = frames.get(0);
            int t = stepCodePoint(f.rule, f.state, cp);
            return t < 0 ? List.of() : List.of(new Frame(f.rule, t, f.parent));
        }
        List<Frame> next = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            int t = stepCodePoint(f.rule, f.state, cp);
            if (t >= 0) {
                next.add(new Frame(f.rule, t, f.parent));
            }
        }
        return next;
    }

    /** The live state of rule {@code r} after code point {@code cp} from state {@code s}, or -1. */
    int stepCodePoint(int r, int s, int cp) {
        return text[r].step(s, cp);
    }

    /** The automaton of rule {@code r}'s own text. */
    LiveAutomaton automaton(int r) {
        return text[r];
    }

    /** The token slices of a walk from state {@code s} of rule {@code r} (see {@link TokenSlices}). */
    TokenSlices slices(int r, int s, TokenTrie trie) {
        return TokenSlices.of(text[r], s, trie);
    }

    /** {@link LiveAutomaton#plainRun} in rule {@code r}. */
    int plainRun(int r, int s) {
        return text[r].plainRun(s);
    }

    /** Whether the text may leave rule {@code r} at state {@code s}: the rule may end there, or call another. */
    boolean exit(int r, int s) {
        return accept[r][s] || calls[r][s].length > 0;
    }

    /** Whether state {@code s} of rule {@code r} reads a character that leads to a live state. */
    boolean reads(int r, int s) {
        return reads[r][s];
    }

    /** {@link LiveAutomaton#completable} in rule {@code r}. */
    boolean completable(int r, int s, int need, int cp, int min) {
        return text[r].completable(s, need, cp, min);
    }

    /** Whether some code point in {@code lo..hi} leads on from the top of some frame. */
    boolean anyCodePoint(List<Frame> frames, int lo, int hi) {
        for (Frame f : frames) {
            if (text[f.rule].anyCodePoint(f.state, lo, hi)) {
                return true;
            }
        }
        return false;
    }
}
