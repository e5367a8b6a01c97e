package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        // minimal, not only deterministic: every state below gets a trie of escapes, so fewer states pay
        Minimizer.minimize(source);
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
                // characters that need an escape, as a trie of their escapes (most share their first four characters)
                List<String> escapes = new ArrayList<>();
                for (int c = min; c <= Math.min(max, 0x1F); c++) {
                    escapes.add(escape((char) c));
                }
                if (min <= '"' && '"' <= max) {
                    escapes.add("\\\"");
                }
                if (min <= '\\' && '\\' <= max) {
                    escapes.add("\\\\");
                }
                trie(from, to, escapes);
            }
        }
        Automaton out = new Automaton();
        out.setInitialState(copy.get(source.getInitialState()));
        out.setDeterministic(false);
        // the tries of a state's transitions all start with a backslash: determinizing merges them
        Minimizer.minimize(out);
        return out;
    }

    private static void addRange(State from, State to, int lo, int hi) {
        if (lo <= hi) {
            from.addTransition(new Transition((char) lo, (char) hi, to));
        }
    }

    /** Paths from {@code from} to {@code to} spelling each text, sharing their common prefixes. */
    private static void trie(State from, State to, List<String> texts) {
        Map<String, State> nodes = new HashMap<>();
        nodes.put("", from);
        for (String text : texts) {
            State at = from;
            for (int i = 0; i < text.length(); i++) {
                String prefix = text.substring(0, i + 1);
                State next = i == text.length() - 1 ? to : nodes.get(prefix);
                if (next == null) {
                    next = new State();
                    nodes.put(prefix, next);
                    at.addTransition(new Transition(text.charAt(i), next));
                } else if (i == text.length() - 1) {
                    at.addTransition(new Transition(text.charAt(i), next));
                }
                at = next;
            }
        }
    }

    /** The escapes of the control characters, written once (String.format per character was a hot spot). */
    private static final String[] CONTROL_ESCAPES = new String[0x20];

    static {
        for (char c = 0; c < 0x20; c++) {
            CONTROL_ESCAPES[c] = write(c);
        }
    }

    static String escape(char c) {
        return c < 0x20 ? CONTROL_ESCAPES[c] : write(c);
    }

    private static String write(char c) {
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
