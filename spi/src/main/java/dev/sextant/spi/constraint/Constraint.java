package dev.sextant.spi.constraint;

/**
 * A constraint compiled for one vocabulary ({@link TokenBytes}): the set of texts a generation may
 * produce. Compiled once and shared by every row and request that uses it, so implementations are
 * thread-safe (their caches included).
 */
public interface Constraint {

    /** The state of a row that has generated nothing yet. */
    ConstraintState start();

    /** The vocabulary this constraint was compiled for. */
    TokenBytes vocabulary();
}
