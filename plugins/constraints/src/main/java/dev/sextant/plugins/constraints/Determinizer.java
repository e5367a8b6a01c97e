package dev.sextant.plugins.constraints;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Subset construction over int arrays, for {@link Minimizer}: brics's determinize keeps sets of states in
 * hash sets and was, once minimization was fast, most of the compile time. An automaton here is a graph
 * of states {@code 0..n-1} (0 initial), each with transitions {@code from[s]..from[s+1]-1} on the char
 * ranges {@code min..max} to {@code dest}; in the input, transitions may overlap (nondeterminism).
 */
final class Determinizer {

    /** An automaton as arrays (see the class comment). */
    record Graph(int states, boolean[] accept, int[] from, char[] min, char[] max, int[] dest) {
    }

    private Determinizer() {
    }

    /** The deterministic automaton of the subsets of {@code g}'s states reachable from {@code {0}}. */
    static Graph determinize(Graph g) {
        Map<Key, Integer> ids = new HashMap<>();
        int[][] sets = new int[16][];
        sets[0] = new int[] {0};
        ids.put(new Key(sets[0]), 0);
        int count = 1;
        Builder out = new Builder();
        // per NFA state: how many of the ranges being swept cover the current char
        int[] cover = new int[g.states()];
        int[] active = new int[g.states()];
        boolean[] listed = new boolean[g.states()];
        for (int d = 0; d < count; d++) {
            int[] members = sets[d];
            boolean accept = false;
            int events = 0;
            for (int s : members) {
                accept |= g.accept()[s];
                events += 2 * (g.from()[s + 1] - g.from()[s]);
            }
            // range starts and ends (one past) in char order: (position << 32) | (transition << 1) | end
            long[] sweep = new long[events];
            int e = 0;
            for (int s : members) {
                for (int k = g.from()[s]; k < g.from()[s + 1]; k++) {
                    sweep[e++] = ((long) g.min()[k] << 32) | ((long) k << 1);
                    sweep[e++] = ((long) (g.max()[k] + 1) << 32) | ((long) k << 1) | 1;
                }
            }
            Arrays.sort(sweep);
            out.state(accept);
            int activeCount = 0;
            int i = 0;
            while (i < events) {
                int position = (int) (sweep[i] >>> 32);
                // apply every event at this position
                for (; i < events && (int) (sweep[i] >>> 32) == position; i++) {
                    int k = (int) (sweep[i] & 0xFFFFFFFFL) >>> 1;
                    int t = g.dest()[k];
                    if ((sweep[i] & 1) == 0) {
                        cover[t]++;
                        if (!listed[t]) {
                            listed[t] = true;
                            active[activeCount++] = t;
                        }
                    } else {
                        cover[t]--;
                    }
                }
                // the states covered from here to the next position form one target set
                int size = 0;
                for (int a = 0; a < activeCount; a++) {
                    if (cover[active[a]] > 0) {
                        active[size++] = active[a];
                    } else {
                        listed[active[a]] = false;
                    }
                }
                activeCount = size;
                if (size == 0 || i >= events || position > Character.MAX_VALUE) {
                    continue;
                }
                int next = (int) (sweep[i] >>> 32);
                int[] target = Arrays.copyOf(active, size);
                Arrays.sort(target);
                Key key = new Key(target);
                Integer id = ids.get(key);
                if (id == null) {
                    id = count;
                    ids.put(key, id);
                    if (count == sets.length) {
                        sets = Arrays.copyOf(sets, count * 2);
                    }
                    sets[count++] = target;
                }
                out.transition((char) position, (char) (next - 1), id);
            }
            for (int a = 0; a < activeCount; a++) {
                cover[active[a]] = 0;
                listed[active[a]] = false;
            }
        }
        return out.graph();
    }

    /** A set of states as a hash key. */
    private record Key(int[] states) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(states, k.states);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(states);
        }
    }

    /** Grows a graph state by state; a transition that continues the last one to the same state extends it. */
    private static final class Builder {
        int states;
        boolean[] accept = new boolean[16];
        int[] from = new int[17];
        char[] min = new char[16];
        char[] max = new char[16];
        int[] dest = new int[16];
        int edges;

        void state(boolean accepting) {
            if (states + 1 >= from.length) {
                from = Arrays.copyOf(from, from.length * 2);
                accept = Arrays.copyOf(accept, from.length);
            }
            accept[states] = accepting;
            from[states] = edges;
            states++;
            from[states] = edges;
        }

        void transition(char lo, char hi, int to) {
            if (edges > from[states - 1] && dest[edges - 1] == to && max[edges - 1] + 1 == lo) {
                max[edges - 1] = hi;
                return;
            }
            if (edges == min.length) {
                min = Arrays.copyOf(min, edges * 2);
                max = Arrays.copyOf(max, edges * 2);
                dest = Arrays.copyOf(dest, edges * 2);
            }
            min[edges] = lo;
            max[edges] = hi;
            dest[edges] = to;
            edges++;
            from[states] = edges;
        }

        Graph graph() {
            return new Graph(states, Arrays.copyOf(accept, states), Arrays.copyOf(from, states + 1), min, max, dest);
        }
    }
}
