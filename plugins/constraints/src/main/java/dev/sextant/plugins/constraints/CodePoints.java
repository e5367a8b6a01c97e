package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.List;

/**
 * Automata over whole Unicode code points, built on brics's UTF-16 chars: a code point above U+FFFF is a
 * high surrogate followed by a low one, and a lone surrogate is never part of a set, so every string
 * an automaton made here accepts is well-formed UTF-16 (and so encodes to valid UTF-8).
 */
final class CodePoints {

    static final int MAX = 0x10FFFF;

    private CodePoints() {
    }

    /** One code point. */
    static Automaton single(int cp) {
        return range(cp, cp);
    }

    /** The code points {@code lo..hi} (surrogates left out). */
    static Automaton range(int lo, int hi) {
        List<Automaton> parts = new ArrayList<>();
        // the basic plane without the surrogates
        addBmp(parts, lo, Math.min(hi, 0xD7FF));
        addBmp(parts, Math.max(lo, 0xE000), Math.min(hi, 0xFFFF));
        int from = Math.max(lo, 0x10000);
        if (from <= hi) {
            int h1 = high(from);
            int h2 = high(hi);
            if (h1 == h2) {
                parts.add(pair(h1, h1, low(from), low(hi)));
            } else {
                parts.add(pair(h1, h1, low(from), 0xDFFF));
                if (h1 + 1 <= h2 - 1) {
                    parts.add(pair(h1 + 1, h2 - 1, 0xDC00, 0xDFFF));
                }
                parts.add(pair(h2, h2, 0xDC00, low(hi)));
            }
        }
        return parts.isEmpty() ? Automaton.makeEmpty() : Automaton.union(parts);
    }

    /** Any code point. */
    static Automaton any() {
        return range(0, MAX);
    }

    /** The union of code point ranges, given as pairs {@code [lo0, hi0, lo1, hi1, ...]}. */
    static Automaton ranges(List<int[]> ranges) {
        List<Automaton> parts = new ArrayList<>();
        for (int[] r : ranges) {
            parts.add(range(r[0], r[1]));
        }
        return parts.isEmpty() ? Automaton.makeEmpty() : Automaton.union(parts);
    }

    private static void addBmp(List<Automaton> parts, int lo, int hi) {
        if (lo <= hi) {
            parts.add(Automaton.makeCharRange((char) lo, (char) hi));
        }
    }

    private static Automaton pair(int h1, int h2, int l1, int l2) {
        return Automaton.makeCharRange((char) h1, (char) h2).concatenate(Automaton.makeCharRange((char) l1, (char) l2));
    }

    static int high(int cp) {
        return 0xD800 + ((cp - 0x10000) >> 10);
    }

    static int low(int cp) {
        return 0xDC00 + ((cp - 0x10000) & 0x3FF);
    }
}
