package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DFA minimization over int arrays, in place of brics's {@link Automaton#minimize()}: brics's Hopcroft
 * keeps its blocks in linked lists and hash maps, and was most of the compile time of a JSON schema.
 * Same result as brics (the minimal DFA of the language without a dead state; an empty language is one
 * rejecting state; a singleton automaton is left as it is), found by partition refinement as Valmari and
 * Lehtinen describe it: blocks of states and "cords" of transitions (same letter, targets in one block)
 * refine each other until stable, each new block or cord being the smaller half of the one it split, so
 * the work is O(m log n) in the transitions m.
 *
 * <p>brics transitions carry char ranges; the refinement needs letters, so the alphabet is cut into
 * intervals at every range boundary and a transition stands for one labeled transition per interval it
 * covers. Only states that are reachable and can reach an accepting state take part: a missing transition
 * then means the dead state, which keeps the DFA partial (no totalizing).
 */
final class Minimizer {

    private Minimizer() {
    }

    /**
     * Minimizes {@code a} in place; where it is not deterministic, {@link Determinizer} makes it so first
     * (on the arrays, so the DFA between the two steps is never built as brics states).
     */
    static void minimize(Automaton a) {
        if (a.getSingleton() != null) {
            return; // brics keeps a single string as text; it is minimal as it stands
        }
        Dfa dfa = Dfa.of(a);
        State[] built = dfa.initialLive ? dfa.refine() : null;
        a.setInitialState(built == null ? new State() : built[0]);
        a.setDeterministic(true);
    }

    /** A brics automaton read into arrays (determinized where needed): its live reachable states and transitions. */
    private static final class Dfa {
        /** States (0 is the initial one) and, per state, its transitions {@code from[s]..from[s+1]-1}. */
        int states;
        boolean[] accept;
        int[] from;
        char[] min;
        char[] max;
        int[] dest;

        static Dfa of(Automaton a) {
            // number the reachable states breadth first
            Map<State, Integer> index = new HashMap<>();
            List<State> order = new ArrayList<>();
            index.put(a.getInitialState(), 0);
            order.add(a.getInitialState());
            int edges = 0;
            for (int i = 0; i < order.size(); i++) {
                for (Transition t : order.get(i).getTransitions()) {
                    edges++;
                    if (index.putIfAbsent(t.getDest(), order.size()) == null) {
                        order.add(t.getDest());
                    }
                }
            }
            int n = order.size();
            int[] tFrom = new int[n + 1];
            int[] tTo = new int[edges];
            char[] tMin = new char[edges];
            char[] tMax = new char[edges];
            boolean[] acc = new boolean[n];
            int e = 0;
            for (int s = 0; s < n; s++) {
                State state = order.get(s);
                acc[s] = state.isAccept();
                tFrom[s] = e;
                for (Transition t : state.getTransitions()) {
                    tMin[e] = t.getMin();
                    tMax[e] = t.getMax();
                    tTo[e] = index.get(t.getDest());
                    e++;
                }
            }
            tFrom[n] = e;
            if (!a.isDeterministic()) {
                Determinizer.Graph g = Determinizer.determinize(
                        new Determinizer.Graph(n, acc, tFrom, tMin, tMax, tTo));
                n = g.states();
                acc = g.accept();
                tFrom = g.from();
                tMin = g.min();
                tMax = g.max();
                tTo = g.dest();
                edges = tFrom[n];
            }
            // live: states that reach an accepting state, found backwards over the reversed transitions
            int[] inFrom = new int[n + 1];
            for (int k = 0; k < edges; k++) {
                inFrom[tTo[k] + 1]++;
            }
            for (int s = 0; s < n; s++) {
                inFrom[s + 1] += inFrom[s];
            }
            int[] inSource = new int[edges];
            int[] fill = Arrays.copyOf(inFrom, n);
            for (int s = 0; s < n; s++) {
                for (int k = tFrom[s]; k < tFrom[s + 1]; k++) {
                    inSource[fill[tTo[k]]++] = s;
                }
            }
            boolean[] live = new boolean[n];
            int[] queue = new int[n];
            int tail = 0;
            for (int s = 0; s < n; s++) {
                if (acc[s]) {
                    live[s] = true;
                    queue[tail++] = s;
                }
            }
            for (int head = 0; head < tail; head++) {
                int t = queue[head];
                for (int k = inFrom[t]; k < inFrom[t + 1]; k++) {
                    int s = inSource[k];
                    if (!live[s]) {
                        live[s] = true;
                        queue[tail++] = s;
                    }
                }
            }
            // keep the live states (the initial one stays 0 when live) and the transitions between them
            int[] renumber = new int[n];
            Dfa d = new Dfa();
            d.initialLive = live[0];
            for (int s = 0; s < n; s++) {
                renumber[s] = live[s] ? d.states++ : -1;
            }
            d.accept = new boolean[d.states];
            d.from = new int[d.states + 1];
            d.min = new char[edges];
            d.max = new char[edges];
            d.dest = new int[edges];
            int kept = 0;
            for (int s = 0; s < n; s++) {
                if (!live[s]) {
                    continue;
                }
                int r = renumber[s];
                d.accept[r] = acc[s];
                d.from[r] = kept;
                for (int k = tFrom[s]; k < tFrom[s + 1]; k++) {
                    if (live[tTo[k]]) {
                        d.min[kept] = tMin[k];
                        d.max[kept] = tMax[k];
                        d.dest[kept] = renumber[tTo[k]];
                        kept++;
                    }
                }
            }
            d.from[d.states] = kept;
            return d;
        }

        /** Whether the initial state can reach acceptance (else the language is empty). */
        boolean initialLive;

        /** Refines the states into the classes of the minimal DFA and builds it; element 0 is the initial state. */
        State[] refine() {
            int n = states;
            // letters: the intervals between consecutive range boundaries
            int edges = from[n];
            int[] cuts = new int[2 * edges + 1];
            int c = 0;
            cuts[c++] = 0;
            for (int k = 0; k < edges; k++) {
                cuts[c++] = min[k];
                cuts[c++] = max[k] + 1;
            }
            Arrays.sort(cuts, 0, c);
            int letters = 0;
            for (int i = 0; i < c; i++) {
                if (letters == 0 || cuts[i] != cuts[letters - 1]) {
                    cuts[letters++] = cuts[i];
                }
            }
            // one labeled transition per (transition, letter it covers)
            int m = 0;
            int[] lo = new int[edges];
            int[] hi = new int[edges];
            for (int k = 0; k < edges; k++) {
                lo[k] = Arrays.binarySearch(cuts, 0, letters, min[k]);
                hi[k] = Arrays.binarySearch(cuts, 0, letters, max[k] + 1);
                if (hi[k] < 0) {
                    hi[k] = letters; // max is the last char: its interval runs to the end
                }
                m += hi[k] - lo[k];
            }
            int[] tail = new int[m];
            int[] label = new int[m];
            int[] head = new int[m];
            int t = 0;
            for (int s = 0; s < n; s++) {
                for (int k = from[s]; k < from[s + 1]; k++) {
                    for (int l = lo[k]; l < hi[k]; l++) {
                        tail[t] = s;
                        label[t] = l;
                        head[t] = dest[k];
                        t++;
                    }
                }
            }
            // incoming transitions of each state
            int[] inFrom = new int[n + 1];
            for (int i = 0; i < m; i++) {
                inFrom[head[i] + 1]++;
            }
            for (int s = 0; s < n; s++) {
                inFrom[s + 1] += inFrom[s];
            }
            int[] incoming = new int[m];
            int[] fill = Arrays.copyOf(inFrom, n);
            for (int i = 0; i < m; i++) {
                incoming[fill[head[i]]++] = i;
            }
            Partition blocks = new Partition(n);
            for (int s = 0; s < n; s++) {
                if (accept[s]) {
                    blocks.mark(s);
                }
            }
            blocks.split();
            Partition cords = Partition.byKey(m, label, letters);
            // Hopcroft's rule: block 0 (the larger half of the first split) need never split cords
            int b = 1;
            for (int cord = 0; cord < cords.sets; cord++) {
                for (int i = cords.first[cord]; i < cords.past[cord]; i++) {
                    blocks.mark(tail[cords.elems[i]]);
                }
                blocks.split();
                for (; b < blocks.sets; b++) {
                    for (int i = blocks.first[b]; i < blocks.past[b]; i++) {
                        int s = blocks.elems[i];
                        for (int j = inFrom[s]; j < inFrom[s + 1]; j++) {
                            cords.mark(incoming[j]);
                        }
                    }
                    cords.split();
                }
            }
            return build(blocks);
        }

        /** One brics state per block, with the transitions of one of its states (merged where they touch). */
        private State[] build(Partition blocks) {
            int count = blocks.sets;
            State[] out = new State[count];
            // the initial state's block first
            int[] order = new int[count];
            int first = blocks.setOf[0];
            int[] position = new int[count];
            order[0] = first;
            for (int k = 0, p = 1; k < count; k++) {
                if (k != first) {
                    order[p++] = k;
                }
            }
            for (int p = 0; p < count; p++) {
                position[order[p]] = p;
                out[p] = new State();
            }
            for (int p = 0; p < count; p++) {
                int s = blocks.elems[blocks.first[order[p]]];
                out[p].setAccept(accept[s]);
                int k0 = from[s];
                int k1 = from[s + 1];
                long[] sorted = new long[k1 - k0];
                for (int k = k0; k < k1; k++) {
                    sorted[k - k0] = ((long) min[k] << 32) | k;
                }
                Arrays.sort(sorted);
                int i = 0;
                while (i < sorted.length) {
                    int k = (int) sorted[i];
                    char lo = min[k];
                    char hi = max[k];
                    int to = position[blocks.setOf[dest[k]]];
                    int j = i + 1;
                    while (j < sorted.length) {
                        int q = (int) sorted[j];
                        if (min[q] != hi + 1 || position[blocks.setOf[dest[q]]] != to) {
                            break;
                        }
                        hi = max[q];
                        j++;
                    }
                    out[p].addTransition(new Transition(lo, hi, out[to]));
                    i = j;
                }
            }
            return out;
        }
    }

    /**
     * A partition of {@code 0..n-1} into sets that can be split: elements of a set lie together in
     * {@code elems[first..past-1]}; marked elements are moved to the front of their set, and
     * {@link #split} makes the marked (or the unmarked, whichever is fewer) part a new set.
     */
    private static final class Partition {
        final int[] elems;
        final int[] loc;
        final int[] setOf;
        final int[] first;
        final int[] past;
        final int[] marked;
        final int[] touched;
        int touchedCount;
        int sets;

        Partition(int n) {
            elems = new int[n];
            loc = new int[n];
            setOf = new int[n];
            first = new int[n];
            past = new int[n];
            marked = new int[n];
            touched = new int[n];
            for (int i = 0; i < n; i++) {
                elems[i] = i;
                loc[i] = i;
            }
            if (n > 0) {
                past[0] = n;
                sets = 1;
            }
        }

        /** Elements grouped into one set per key value present ({@code key[e]} in {@code 0..keys-1}). */
        static Partition byKey(int n, int[] key, int keys) {
            Partition p = new Partition(n);
            int[] start = new int[keys + 1];
            for (int e = 0; e < n; e++) {
                start[key[e] + 1]++;
            }
            for (int k = 0; k < keys; k++) {
                start[k + 1] += start[k];
            }
            int[] fill = Arrays.copyOf(start, keys);
            for (int e = 0; e < n; e++) {
                int i = fill[key[e]]++;
                p.elems[i] = e;
                p.loc[e] = i;
            }
            p.sets = 0;
            for (int k = 0; k < keys; k++) {
                if (start[k] < start[k + 1]) {
                    p.first[p.sets] = start[k];
                    p.past[p.sets] = start[k + 1];
                    for (int i = start[k]; i < start[k + 1]; i++) {
                        p.setOf[p.elems[i]] = p.sets;
                    }
                    p.sets++;
                }
            }
            return p;
        }

        void mark(int e) {
            int s = setOf[e];
            int i = loc[e];
            int j = first[s] + marked[s];
            if (i < j) {
                return; // already marked
            }
            elems[i] = elems[j];
            loc[elems[i]] = i;
            elems[j] = e;
            loc[e] = j;
            if (marked[s]++ == 0) {
                touched[touchedCount++] = s;
            }
        }

        void split() {
            while (touchedCount > 0) {
                int s = touched[--touchedCount];
                int j = first[s] + marked[s];
                marked[s] = 0;
                if (j == past[s]) {
                    continue; // all of the set was marked: nothing to split off
                }
                int z = sets++;
                if (j - first[s] <= past[s] - j) {
                    first[z] = first[s];
                    past[z] = j;
                    first[s] = j;
                } else {
                    first[z] = j;
                    past[z] = past[s];
                    past[s] = j;
                }
                for (int i = first[z]; i < past[z]; i++) {
                    setOf[elems[i]] = z;
                }
            }
        }
    }
}
