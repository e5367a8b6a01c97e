package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton as a table of numbered states by char interval, as dk.brics's RunAutomaton
 * is, built in one sweep of each state's sorted transitions against the intervals (RunAutomaton steps
 * every state on every interval through the state's transition list, which for large automata with
 * Unicode ranges cost a fifth of compiling a schema). States are numbered breadth first from the start (0), in the order of their sorted transitions.
 */
final class RunTable {

    /** The first char of each interval: the chars of one interval step alike from every state. */
    private final char[] points;
    /**
     * {@code next[s * points.length + k]}: one more than the state after a char of interval {@code k} from
     * {@code s}, or 0 where there is none (so the new table needs no filling).
     */
    private final int[] next;
    private final boolean[] accept;
    /**
     * Each state's transitions as spans of intervals, in order: span {@code i} (from
     * {@code spanStart[s]} to {@code spanStart[s + 1]}) leads every interval from {@code spans[3i]} to
     * {@code spans[3i + 1]} to state {@code spans[3i + 2]}. A state has a few spans and the table a row of
     * every interval: passes over all transitions read the spans.
     */
    private final int[] spanStart;
    private final int[] spans;

    /** @param automaton a deterministic automaton (not changed) */
    RunTable(Automaton automaton) {
        if (!automaton.isDeterministic()) {
            throw new IllegalArgumentException("a run table needs a deterministic automaton");
        }
        Map<State, Integer> number = new IdentityHashMap<>();
        List<State> states = new java.util.ArrayList<>();
        // per state (by number): its transitions in order (disjoint in a deterministic automaton) and the
        // numbers of their targets, read once
        List<Transition[]> sorted = new java.util.ArrayList<>();
        List<int[]> targets = new java.util.ArrayList<>();
        State initial = automaton.getInitialState();
        number.put(initial, 0);
        states.add(initial);
        java.util.BitSet starts = new java.util.BitSet(0x10000);
        starts.set(0);
        for (int head = 0; head < states.size(); head++) {
            Transition[] ts = states.get(head).getSortedTransitions(false).toArray(new Transition[0]);
            int[] to = new int[ts.length];
            for (int i = 0; i < ts.length; i++) {
                Transition t = ts[i];
                starts.set(t.getMin());
                if (t.getMax() < Character.MAX_VALUE) {
                    starts.set(t.getMax() + 1);
                }
                Integer known = number.putIfAbsent(t.getDest(), states.size());
                if (known == null) {
                    to[i] = states.size();
                    states.add(t.getDest());
                } else {
                    to[i] = known;
                }
            }
            sorted.add(ts);
            targets.add(to);
        }
        points = new char[starts.cardinality()];
        int k = 0;
        for (int c = starts.nextSetBit(0); c >= 0; c = starts.nextSetBit(c + 1)) {
            points[k++] = (char) c;
        }
        int size = states.size();
        int width = points.length;
        next = new int[size * width];
        accept = new boolean[size];
        spanStart = new int[size + 1];
        int[] found = new int[3 * Math.max(16, size)];
        int count = 0;
        for (int s = 0; s < size; s++) {
            accept[s] = states.get(s).isAccept();
            spanStart[s] = count;
            // the transitions swept against the intervals
            Transition[] ts = sorted.get(s);
            int[] to = targets.get(s);
            int p = 0;
            for (int i = 0; i < ts.length; i++) {
                // the transition's first interval: it starts one (every transition's bounds are points)
                p = Arrays.binarySearch(points, p, width, ts[i].getMin());
                int first = p;
                while (p < width && points[p] <= ts[i].getMax()) {
                    next[s * width + p++] = to[i] + 1;
                }
                if (p > first) {
                    if (3 * count + 3 > found.length) {
                        found = Arrays.copyOf(found, found.length * 2);
                    }
                    found[3 * count] = first;
                    found[3 * count + 1] = p - 1;
                    found[3 * count++ + 2] = to[i];
                }
            }
        }
        spanStart[size] = count;
        spans = Arrays.copyOf(found, 3 * count);
    }

    /** Where state {@code s}'s spans start (see {@link #spanFirst}); they end where {@code s + 1}'s start. */
    int spansOf(int s) {
        return spanStart[s];
    }

    /** The first interval span {@code i} steps. */
    int spanFirst(int i) {
        return spans[3 * i];
    }

    /** The last interval span {@code i} steps. */
    int spanLast(int i) {
        return spans[3 * i + 1];
    }

    /** The state span {@code i} leads to. */
    int spanTarget(int i) {
        return spans[3 * i + 2];
    }

    /** The first char of each interval (shared: do not modify). */
    char[] getCharIntervals() {
        return points;
    }

    /** How many states there are. */
    int getSize() {
        return accept.length;
    }

    /** The start state: 0. */
    int getInitialState() {
        return 0;
    }

    boolean isAccept(int s) {
        return accept[s];
    }

    /** The state after a char of interval {@code k} (see {@link #getCharIntervals}) from state {@code s}, or -1. */
    int stepInterval(int s, int k) {
        return next[s * points.length + k] - 1;
    }

    /** The state after char {@code c} from state {@code s}, or -1. */
    int step(int s, char c) {
        int k = Arrays.binarySearch(points, c);
        return next[s * points.length + (k >= 0 ? k : -k - 2)] - 1;
    }
}
