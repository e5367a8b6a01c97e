package dev.sextant.plugins.decoders;

/**
 * Reshapes a row's next-token distribution before sampling (Hugging Face's {@code LogitsWarper}):
 * rescales scores or removes unlikely tokens by setting them to -Infinity. Never removes every
 * token. Stateless and thread-safe.
 */
interface LogitsWarper {

    /** Reshapes scores in place; at least one score is above -Infinity before and after. */
    void warp(float[] scores);
}
