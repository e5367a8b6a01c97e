package dev.sextant.plugins.decoders;

/**
 * When beam search stops a prompt, with Hugging Face's meanings of {@code early_stopping}. Every mode
 * waits until {@code num-beams} finished candidates (per group) exist.
 */
public enum EarlyStopping {
    /** Stop as soon as there are {@code num-beams} finished candidates. */
    TRUE,
    /**
     * Stop when the best running beam, scored at its current length, could no longer beat the worst
     * finished candidate kept (a heuristic: with a positive length penalty a longer beam might).
     */
    FALSE,
    /**
     * Stop only when no running beam can beat the worst finished candidate at any length up to the
     * limit (exact for a positive length penalty; slower).
     */
    NEVER
}
