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
    /** {@code next[s * points.length + k]}: the state after a char of interval {@code k} from {@code s}, or -1. */
    private final int[] next;
    private final boolean[] accept;

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
        Arrays.fill(next, -1);
        accept = new boolean[size];
        for (int s = 0; s < size; s++) {
            accept[s] = states.get(s).isAccept();
            // the transitions swept against the intervals
            Transition[] ts = sorted.get(s);
            int[] to = targets.get(s);
            int p = 0;
            for (int i = 0; i < ts.length; i++) {
                while (p < width && points[p] < ts[i].getMin()) {
                    p++;
                }
                while (p < width && points[p] <= ts[i].getMax()) {
                    next[s * width + p++] = to[i];
                }
            }
        }
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
        return next[s * points.length + k];
    }

    /** The state after char {@code c} from state {@code s}, or -1. */
    int step(int s, char c) {
        int k = Arrays.binarySearch(points, c);
        return next[s * points.length + (k >= 0 ? k : -k - 2)];
    }
}
