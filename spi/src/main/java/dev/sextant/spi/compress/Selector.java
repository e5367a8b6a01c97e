package dev.sextant.spi.compress;

import dev.sextant.spi.SextantException;

/**
 * A data selector: ranks candidate texts (few-shot examples, context passages, training documents)
 * by how well they match a set of target texts. Thread-safe.
 */
public interface Selector {

    /** Scores every candidate against the targets and returns the selected ones, best first. */
    Selection select(SelectionRequest request) throws SextantException;
}
