package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.List;

/**
 * Automata of the decimal integers in a range, as JSON writes them (no leading zeros, {@code -0}
 * not written): the classic split of a range into spans where the digits are free from some position on.
 */
final class IntegerRanges {

    private IntegerRanges() {
    }

    /** The integers {@code lo..hi} (either may be null: unbounded), as JSON text. */
    static Automaton range(Long lo, Long hi) {
        List<Automaton> parts = new ArrayList<>();
        long min = lo == null ? Long.MIN_VALUE : lo;
        long max = hi == null ? Long.MAX_VALUE : hi;
        if (min > max) {
            return Automaton.makeEmpty();
        }
        // non-negative part
        if (max >= 0) {
            parts.add(nonNegative(Math.max(min, 0), hi == null ? null : max));
        }
        // negative part: -(1..|min|) written with a minus sign
        if (min < 0) {
            long negHi = lo == null ? -1 : -min; // largest magnitude
            long negLo = Math.max(1, max >= 0 ? 1 : -max);
            Automaton magnitudes = nonNegative(negLo, lo == null ? null : negHi);
            parts.add(Automaton.makeChar('-').concatenate(magnitudes));
        }
        return Automaton.union(parts);
    }

    /** The integers {@code lo..hi} with {@code lo >= 0}; {@code hi} null is unbounded. */
    static Automaton nonNegative(long lo, Long hi) {
        if (hi == null) {
            // lo..(10^n - 1) for n digits of lo, then any longer number
            int digits = Long.toString(lo).length();
            long top = pow10(digits) - 1;
            Automaton a = span(Long.toString(lo), Long.toString(top));
            Automaton longer = Automaton.makeCharRange('1', '9').concatenate(
                    Automaton.makeCharRange('0', '9').repeat(digits));
            return a.union(longer);
        }
        if (lo > hi) {
            return Automaton.makeEmpty();
        }
        List<Automaton> parts = new ArrayList<>();
        long from = lo;
        while (from <= hi) {
            int digits = Long.toString(from).length();
            long top = Math.min(hi, pow10(digits) - 1);
            parts.add(span(Long.toString(from), Long.toString(top)));
            if (top == Long.MAX_VALUE || top == hi) {
                break;
            }
            from = top + 1;
        }
        return Automaton.union(parts);
    }

    /** Numbers from {@code a} to {@code b}, both with the same number of digits. */
    private static Automaton span(String a, String b) {
        if (a.matches("0*") && b.matches("9*")) {
            // every digit free: without this shortcut the split below doubles at each digit
            return Automaton.makeCharRange('0', '9').repeat(a.length(), a.length());
        }
        if (a.length() == 1) {
            return Automaton.makeCharRange(a.charAt(0), b.charAt(0));
        }
        if (a.charAt(0) == b.charAt(0)) {
            return Automaton.makeChar(a.charAt(0)).concatenate(span(a.substring(1), b.substring(1)));
        }
        List<Automaton> parts = new ArrayList<>();
        String restA = a.substring(1);
        String restB = b.substring(1);
        String zeros = "0".repeat(restA.length());
        String nines = "9".repeat(restA.length());
        // first digit of a, its rest from restA up
        parts.add(Automaton.makeChar(a.charAt(0)).concatenate(span(restA, nines)));
        if (b.charAt(0) - a.charAt(0) > 1) {
            parts.add(Automaton.makeCharRange((char) (a.charAt(0) + 1), (char) (b.charAt(0) - 1))
                    .concatenate(Automaton.makeCharRange('0', '9').repeat(restA.length(), restA.length())));
        }
        parts.add(Automaton.makeChar(b.charAt(0)).concatenate(span(zeros, restB)));
        return Automaton.union(parts);
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            if (p > Long.MAX_VALUE / 10) {
                return Long.MAX_VALUE;
            }
            p *= 10;
        }
        return p;
    }
}
