package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.HashMap;
import java.util.Map;

/**
 * From a language of string values to the language of their JSON encodings (without the quotes): a
 * quote, a backslash and the control characters are written escaped ({@code \"}, {@code \\}, {@code \n},
 * {@code \t}, {@code \r}, {@code \b}, {@code \f}, other controls as backslash-u and four hex digits); every other character
 * as itself. One encoding per value, so lengths and patterns of the value carry over exactly.
 */
final class JsonStrings {

    private JsonStrings() {
    }

    /** The JSON encodings (quotes excluded) of the strings {@code values} accepts. */
    static Automaton encode(Automaton values) {
        Automaton source = values.clone();
        source.determinize();
        Map<State, State> copy = new HashMap<>();
        for (State s : source.getStates()) {
            State t = new State();
            t.setAccept(s.isAccept());
            copy.put(s, t);
        }
        for (State s : source.getStates()) {
            State from = copy.get(s);
            for (Transition tr : s.getTransitions()) {
                State to = copy.get(tr.getDest());
                int min = tr.getMin();
                int max = tr.getMax();
                // characters written as themselves
                addRange(from, to, Math.max(min, 0x20), Math.min(max, 0x21));
                addRange(from, to, Math.max(min, 0x23), Math.min(max, 0x5B));
                addRange(from, to, Math.max(min, 0x5D), max);
                // characters that need an escape
                for (int c = min; c <= Math.min(max, 0x1F); c++) {
                    path(from, to, escape((char) c));
                }
                if (min <= '"' && '"' <= max) {
                    path(from, to, "\\\"");
                }
                if (min <= '\\' && '\\' <= max) {
                    path(from, to, "\\\\");
                }
            }
        }
        Automaton out = new Automaton();
        out.setInitialState(copy.get(source.getInitialState()));
        out.setDeterministic(false);
        out.restoreInvariant();
        return out;
    }

    private static void addRange(State from, State to, int lo, int hi) {
        if (lo <= hi) {
            from.addTransition(new Transition((char) lo, (char) hi, to));
        }
    }

    private static void path(State from, State to, String text) {
        State at = from;
        for (int i = 0; i < text.length(); i++) {
            State next = i == text.length() - 1 ? to : new State();
            at.addTransition(new Transition(text.charAt(i), next));
            at = next;
        }
    }

    static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> String.format("\\u%04x", (int) c);
        };
    }
}
