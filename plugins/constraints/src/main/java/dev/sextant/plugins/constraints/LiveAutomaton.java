package dev.sextant.plugins.constraints;

import dk.brics.automaton.RunAutomaton;
import java.util.Arrays;

/**
 * A deterministic automaton over UTF-16 chars read as code points (see {@link CodePoints}), with the
 * states from which its text can still be completed ({@code live}, filled in by the owner): the two
 * questions every token walk asks of it, shared by {@link AutomatonConstraint} and {@link GrammarMachine}.
 */
final class LiveAutomaton {

    private final RunAutomaton run;
    private final char[] points;
    private final boolean[] live;

    LiveAutomaton(RunAutomaton run, boolean[] live) {
        this.run = run;
        this.points = run.getCharIntervals();
        this.live = live;
    }

    /** The live state after code point {@code cp} from state {@code s}, or -1. */
    int step(int s, int cp) {
        int t;
        if (cp < 0x10000) {
            t = run.step(s, (char) cp);
        } else {
            t = run.step(s, (char) CodePoints.high(cp));
            if (t >= 0) {
                t = run.step(t, (char) CodePoints.low(cp));
            }
        }
        return t >= 0 && live[t] ? t : -1;
    }

    /** Whether some code point in {@code lo..hi} (surrogates excluded) leads from {@code s} to a live state. */
    boolean anyCodePoint(int s, int lo, int hi) {
        if (anyUnit(s, lo, Math.min(hi, 0xD7FF)) || anyUnit(s, Math.max(lo, 0xE000), Math.min(hi, 0xFFFF))) {
            return true;
        }
        int from = Math.max(lo, 0x10000);
        if (from > hi) {
            return false;
        }
        int h1 = CodePoints.high(from);
        int h2 = CodePoints.high(hi);
        if (h1 == h2) {
            return anyPair(s, h1, h1, CodePoints.low(from), CodePoints.low(hi));
        }
        return anyPair(s, h1, h1, CodePoints.low(from), 0xDFFF)
                || (h1 + 1 <= h2 - 1 && anyPair(s, h1 + 1, h2 - 1, 0xDC00, 0xDFFF))
                || anyPair(s, h2, h2, 0xDC00, CodePoints.low(hi));
    }

    /** Whether a high surrogate in {@code h1..h2}, then a low one in {@code l1..l2}, leads to a live state. */
    private boolean anyPair(int s, int h1, int h2, int l1, int l2) {
        int k = interval(h1);
        for (int x = h1; x <= h2; ) {
            int t = run.step(s, (char) x);
            if (t >= 0 && anyUnit(t, l1, l2)) {
                return true;
            }
            if (++k >= points.length) {
                break;
            }
            x = points[k];
        }
        return false;
    }

    /** Whether some char in {@code lo..hi} leads from {@code s} to a live state. */
    private boolean anyUnit(int s, int lo, int hi) {
        if (lo > hi) {
            return false;
        }
        int k = interval(lo);
        for (int x = lo; x <= hi; ) {
            int t = run.step(s, (char) x);
            if (t >= 0 && live[t]) {
                return true;
            }
            if (++k >= points.length) {
                break;
            }
            x = points[k];
        }
        return false;
    }

    /** The index of the interval (of the automaton's char intervals) that holds char {@code c}. */
    private int interval(int c) {
        int k = Arrays.binarySearch(points, (char) c);
        return k >= 0 ? k : -k - 2;
    }
}
