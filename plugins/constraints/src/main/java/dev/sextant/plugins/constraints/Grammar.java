package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A context-free language as a recursive transition network: a top automaton and the automata of its
 * recursive rules, all over code points (see {@link CodePoints}) plus call symbols. A call symbol
 * ({@link #call}) stands for one whole text of a rule; it is a lone low surrogate read where a code point
 * starts, which no text automaton ever reads there, so calls and text never mix. Everything that is not
 * recursive is inlined into the automata by the compilers ({@link GrammarCompiler}, {@link JsonSchemaCompiler}),
 * so a grammar without rules is just a regular language and runs on the faster {@link AutomatonConstraint}.
 * Its automata are minimal DFAs (the compilers minimize them), so their users need not.
 *
 * @param top the language, with calls to {@code rules}
 * @param rules rule {@code i}'s language, with calls
 * @param names rule {@code i}'s name, for messages
 */
record Grammar(Automaton top, List<Automaton> rules, List<String> names) {

    /** The first call symbol. */
    static final char CALL_BASE = 0xDC00;
    /** The most rules a grammar may have (one call symbol each). */
    static final int MAX_RULES = 0x400;

    Grammar {
        rules = List.copyOf(rules);
        names = List.copyOf(names);
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("a grammar may have at most " + MAX_RULES + " recursive rules");
        }
    }

    /** A regular language as a grammar (minimized here: a grammar's automata are minimal DFAs). */
    static Grammar regular(Automaton automaton) {
        Automaton a = automaton.clone();
        Minimizer.minimize(a);
        return new Grammar(a, List.of(), List.of());
    }

    /** The automaton of one call of rule {@code index}. */
    static Automaton call(int index) {
        return Automaton.makeChar((char) (CALL_BASE + index));
    }

    /** Whether the language is regular (no rules), so the top automaton is all of it. */
    boolean isRegular() {
        return rules.isEmpty();
    }

    /** Whether an automaton reads a call symbol anywhere (that is, it is not plain text). */
    static boolean hasCalls(Automaton automaton) {
        Set<State> inPair = statesInsidePairs(automaton);
        for (State s : automaton.getStates()) {
            if (inPair.contains(s)) {
                continue;
            }
            for (Transition t : s.getTransitions()) {
                if (t.getMax() >= CALL_BASE && t.getMin() <= 0xDFFF) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The states reached by a high surrogate: there a low surrogate is the second half of a code point. */
    static Set<State> statesInsidePairs(Automaton automaton) {
        Set<State> inside = new java.util.HashSet<>();
        for (State s : automaton.getStates()) {
            for (Transition t : s.getTransitions()) {
                if (t.getMax() >= 0xD800 && t.getMin() <= 0xDBFF) {
                    inside.add(t.getDest());
                }
            }
        }
        return inside;
    }

    /** This language as a constraint on a vocabulary (on one automaton when it is regular). */
    dev.sextant.spi.constraint.Constraint constraint(dev.sextant.spi.constraint.TokenBytes vocabulary,
            TokenTrie trie) {
        return isRegular() ? new AutomatonConstraint(top, vocabulary, trie, AutomatonConstraint.MAX_CACHED_BYTES, true)
                : new GrammarConstraint(new GrammarMachine(this), vocabulary, trie);
    }

    /** Whether the language is empty (no text of the top automaton can be completed). */
    boolean isEmpty() {
        if (isRegular()) {
            return !acceptsSomething(top);
        }
        GrammarMachine m = new GrammarMachine(this);
        return !m.live(0, m.start(0));
    }

    /** Whether some accepting state of {@code automaton} can be reached from its start. */
    static boolean acceptsSomething(Automaton automaton) {
        if (automaton.getSingleton() != null) {
            return true;
        }
        ArrayDeque<State> queue = new ArrayDeque<>(List.of(automaton.getInitialState()));
        Set<State> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.add(automaton.getInitialState());
        while (!queue.isEmpty()) {
            State s = queue.poll();
            if (s.isAccept()) {
                return true;
            }
            for (Transition t : s.getTransitions()) {
                if (seen.add(t.getDest())) {
                    queue.add(t.getDest());
                }
            }
        }
        return false;
    }

    /** Whether the grammar generates {@code text}, for tests and checks. */
    boolean matches(String text) {
        GrammarMachine m = new GrammarMachine(this);
        GrammarMachine.Closure c = m.close(List.of(m.root()));
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            c = m.close(m.step(c.frames(), cp));
            if (c.frames().isEmpty() && !c.complete()) {
                return false;
            }
        }
        return c.complete();
    }

    /** The names of rules on a cycle of calls that reads no text: such a rule would push without end. */
    static List<String> leftRecursion(GrammarMachine m, List<String> names) {
        List<String> found = new ArrayList<>();
        for (int r = 1; r < m.rules(); r++) {
            // rules r calls before reading any text, through rules that may read nothing
            boolean[] seen = new boolean[m.rules()];
            ArrayDeque<Integer> queue = new ArrayDeque<>(m.firstCalls(r));
            while (!queue.isEmpty()) {
                int q = queue.poll();
                if (q == r) {
                    found.add(names.get(r - 1));
                    break;
                }
                if (!seen[q]) {
                    seen[q] = true;
                    queue.addAll(m.firstCalls(q));
                }
            }
        }
        return found;
    }
}
