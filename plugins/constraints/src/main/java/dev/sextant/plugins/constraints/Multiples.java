package dev.sextant.plugins.constraints;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * JSON Schema's {@code multipleOf} as a language: the numbers, written as this engine writes them (an
 * optional minus, whole digits, optionally a point and fraction digits, no exponent), whose value is a
 * multiple of {@code m}. With {@code m = p / 10^q} ({@code p} a whole number), such a text with {@code f}
 * fraction digits, its digits read as the whole number {@code N}, is a multiple when {@code f <= q} and
 * {@code p} divides {@code N * 10^(q - f)}; texts with more fraction digits are not written. An automaton
 * that keeps {@code N mod p} and {@code f} decides it.
 */
final class Multiples {

    /** The most states the remainder automaton may have ({@code p * (q + 2)}), so compiles stay quick. */
    static final int MAX_STATES = 20_000;

    private Multiples() {
    }

    static Automaton of(Object value, String pointer) throws SchemaException {
        if (!(value instanceof Number number) || value instanceof Boolean) {
            throw new SchemaException(pointer, "multipleOf must be a number");
        }
        BigDecimal m = new BigDecimal(number.toString()).stripTrailingZeros();
        if (m.signum() <= 0) {
            throw new SchemaException(pointer, "multipleOf must be greater than 0, not " + number);
        }
        BigInteger unscaled = m.unscaledValue();
        int q = m.scale();
        if (q < 0) {
            unscaled = unscaled.multiply(BigInteger.TEN.pow(-q));
            q = 0;
        }
        if (unscaled.bitLength() > 31 || (long) unscaled.intValue() * (q + 2) > MAX_STATES) {
            throw new SchemaException(pointer, "multipleOf " + number + " is not supported: with its digits p and"
                    + " fraction digits q, p * (q + 2) must stay within " + MAX_STATES);
        }
        return build(unscaled.intValue(), q);
    }

    /** The texts whose value is a multiple of {@code p / 10^q}. */
    static Automaton build(int p, int q) {
        State start = new State();
        State sign = new State();
        State[] whole = new State[p];
        State[][] fraction = new State[q + 1][p]; // fraction[f][r]: f fraction digits read (f = 0: just the point)
        for (int r = 0; r < p; r++) {
            whole[r] = new State();
            for (int f = 0; f <= q; f++) {
                fraction[f][r] = new State();
            }
        }
        start.addTransition(new Transition('-', sign));
        for (int d = 0; d <= 9; d++) {
            start.addTransition(new Transition((char) ('0' + d), whole[d % p]));
            sign.addTransition(new Transition((char) ('0' + d), whole[d % p]));
        }
        long[] pad = new long[q + 1]; // 10^(q - f) mod p
        pad[q] = 1 % p;
        for (int f = q - 1; f >= 0; f--) {
            pad[f] = pad[f + 1] * 10 % p;
        }
        for (int r = 0; r < p; r++) {
            for (int d = 0; d <= 9; d++) {
                whole[r].addTransition(new Transition((char) ('0' + d), whole[(int) ((10L * r + d) % p)]));
            }
            whole[r].setAccept(r * pad[0] % p == 0);
            if (q > 0) {
                whole[r].addTransition(new Transition('.', fraction[0][r]));
            }
            for (int f = 0; f <= q; f++) {
                if (f > 0) {
                    fraction[f][r].setAccept(r * pad[f] % p == 0);
                }
                if (f < q) {
                    for (int d = 0; d <= 9; d++) {
                        fraction[f][r].addTransition(new Transition((char) ('0' + d),
                                fraction[f + 1][(int) ((10L * r + d) % p)]));
                    }
                }
            }
        }
        Automaton a = new Automaton();
        a.setInitialState(start);
        a.setDeterministic(true);
        Minimizer.minimize(a);
        return a;
    }
}
