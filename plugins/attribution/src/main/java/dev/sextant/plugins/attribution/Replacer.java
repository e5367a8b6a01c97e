package dev.sextant.plugins.attribution;

import dev.sextant.spi.SextantException;
import java.util.List;

/** Proposes replacement tokens for perturbed positions (ReAGent's token sampler). Thread-safe. */
interface Replacer {

    /** The name used in YAML ({@code replacer:}) and in results. */
    String name();

    /** Prepares for one attribution, e.g. by reading the model's predictions once. */
    Session start(AttributionProblem problem) throws SextantException;

    /** Per-attribution state; used by one thread. */
    interface Session {

        /** Writes replacements into every perturbation of the batch (one model call where one is needed). */
        void fill(List<Perturbation> batch) throws SextantException;
    }
}
