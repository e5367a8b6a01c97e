package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Minimizer} against brics's own minimization: the same language, the same (minimal) number of states. */
class MinimizerTest {

    @Test
    void matchesBricsOnRandomRegexes() {
        SplittableRandom random = new SplittableRandom(20261127L);
        for (int i = 0; i < 400; i++) {
            String regex = regex(random, 4);
            check(new RegExp(regex, RegExp.NONE).toAutomaton(false), regex);
        }
    }

    @Test
    void matchesBricsOnRandomNondeterministicAutomata() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 400; i++) {
            check(randomNfa(random, 1 + random.nextInt(12)), "random automaton " + i);
        }
    }

    @Test
    void matchesBricsOnCombinedLanguages() throws Exception {
        // intersections and differences leave unreachable and dead states behind
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < 150; i++) {
            Automaton a = new RegExp(regex(random, 3), RegExp.NONE).toAutomaton(false);
            Automaton b = new RegExp(regex(random, 3), RegExp.NONE).toAutomaton(false);
            check(a.intersection(b), "intersection " + i);
            check(a.minus(b), "difference " + i);
            check(a.concatenate(b).union(b.repeat(1, 3)), "concatenation " + i);
        }
        check(EcmaRegex.parse("[0-9a-f]{8}-[0-9a-f]{4}-[\\u00e9\\u4e2d]{1,3}(x|y|\\d+)*"), "ecma");
        check(JsonStrings.encode(new RegExp("[^a]{0,5}a?", RegExp.NONE).toAutomaton()), "json string");
    }

    @Test
    void edgeCasesKeepBricsShapes() {
        for (Automaton a : List.of(Automaton.makeEmpty(), Automaton.makeEmptyString(), Automaton.makeAnyString(),
                Automaton.makeAnyChar(), Automaton.makeCharRange('\uFF00', '\uFFFF').repeat(),
                Automaton.makeChar('a').minus(Automaton.makeChar('a')))) {
            check(a, a.toString());
        }
        // a singleton (a string kept as text) is left alone, as brics leaves it
        Automaton s = Automaton.makeString("abc");
        Minimizer.minimize(s);
        assertThat(s.getSingleton()).isEqualTo("abc");
    }

    private static void check(Automaton a, String what) {
        Automaton ours = a.clone();
        ours.expandSingleton();
        Minimizer.minimize(ours);
        Automaton theirs = a.clone();
        theirs.expandSingleton();
        theirs.minimize();
        assertThat(ours.isDeterministic()).as(what).isTrue();
        assertThat(ours.getNumberOfStates()).as("states of %s", what).isEqualTo(theirs.getNumberOfStates());
        assertThat(ours.getNumberOfTransitions()).as("transitions of %s", what)
                .isEqualTo(theirs.getNumberOfTransitions());
        assertThat(ours.minus(theirs).isEmpty() && theirs.minus(ours).isEmpty()).as("language of %s", what).isTrue();
        // deterministic in fact: no two transitions of a state overlap
        for (State state : ours.getStates()) {
            List<Transition> sorted = state.getSortedTransitions(false);
            for (int k = 1; k < sorted.size(); k++) {
                assertThat(sorted.get(k).getMin()).as(what).isGreaterThan(sorted.get(k - 1).getMax());
            }
        }
    }

    /** A random regex over a small alphabet (so languages overlap and states merge). */
    private static String regex(SplittableRandom random, int depth) {
        int pick = depth == 0 ? random.nextInt(3) : random.nextInt(9);
        return switch (pick) {
            case 0 -> String.valueOf((char) ('a' + random.nextInt(4)));
            case 1 -> "[a-" + (char) ('b' + random.nextInt(3)) + "]";
            case 2 -> random.nextBoolean() ? "." : "[^b]";
            case 3, 4 -> "(" + regex(random, depth - 1) + regex(random, depth - 1) + ")";
            case 5 -> "(" + regex(random, depth - 1) + "|" + regex(random, depth - 1) + ")";
            case 6 -> "(" + regex(random, depth - 1) + ")*";
            case 7 -> "(" + regex(random, depth - 1) + "){" + random.nextInt(3) + "," + (2 + random.nextInt(3)) + "}";
            default -> "(" + regex(random, depth - 1) + ")?";
        };
    }

    /** Random states and overlapping char ranges (edges of the char space included), some accepting. */
    private static Automaton randomNfa(SplittableRandom random, int n) {
        List<State> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            State s = new State();
            s.setAccept(random.nextInt(3) == 0);
            states.add(s);
        }
        char[] points = {'\u0000', 'a', 'b', 'c', 'd', 'e', '\uD800', '\uFFFE', '\uFFFF'};
        for (State s : states) {
            int edges = random.nextInt(4);
            for (int k = 0; k < edges; k++) {
                char x = points[random.nextInt(points.length)];
                char y = points[random.nextInt(points.length)];
                s.addTransition(new Transition((char) Math.min(x, y), (char) Math.max(x, y),
                        states.get(random.nextInt(n))));
            }
        }
        Automaton a = new Automaton();
        a.setInitialState(states.get(0));
        a.setDeterministic(false);
        return a;
    }
}
