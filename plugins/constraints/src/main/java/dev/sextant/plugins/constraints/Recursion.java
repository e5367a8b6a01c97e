package dev.sextant.plugins.constraints;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Which names of a reference graph lie on a cycle (Tarjan's strongly connected components). */
final class Recursion {

    private final Function<String, List<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final ArrayDeque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final Set<String> cyclic = new java.util.LinkedHashSet<>();
    private int counter;

    private Recursion(Function<String, List<String>> edges) {
        this.edges = edges;
    }

    /** The names that can reach themselves, in the order of {@code names}. */
    static Set<String> onCycles(Collection<String> names, Function<String, List<String>> edges) {
        Recursion r = new Recursion(edges);
        for (String n : names) {
            if (!r.index.containsKey(n)) {
                r.visit(n);
            }
        }
        Set<String> ordered = new java.util.LinkedHashSet<>();
        for (String n : names) {
            if (r.cyclic.contains(n)) {
                ordered.add(n);
            }
        }
        return ordered;
    }

    private void visit(String v) {
        index.put(v, counter);
        low.put(v, counter);
        counter++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.apply(v)) {
            if (!index.containsKey(w)) {
                visit(w);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new java.util.ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1 || edges.apply(v).contains(v)) {
                cyclic.addAll(component);
            }
        }
    }
}
