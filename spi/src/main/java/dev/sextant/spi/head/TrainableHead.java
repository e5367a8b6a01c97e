package dev.sextant.spi.head;

import dev.sextant.spi.Progress;
import dev.sextant.spi.SextantException;

/**
 * A head that trains itself from data named in its config, and evaluates itself on held-out data.
 * Training happens when first needed (the first prediction, or an explicit {@link #train}); a
 * trained model is cached under a key made from the data, the settings and the encoder, so a later
 * start loads it instead of training again.
 */
public interface TrainableHead extends Head {

    /** Whether a trained model is loaded, so {@link #predict} will not train. */
    boolean isTrained();

    /**
     * Makes sure a trained model is loaded: loads it from the cache, or trains it (and caches it).
     *
     * @param retrain train even if the cache holds a model for the same key
     * @param progress receives embedding and training progress
     */
    HeadTraining train(boolean retrain, Progress progress) throws SextantException;

    /**
     * Evaluates on held-out data (the split or evaluation file of the config), training first if
     * needed.
     */
    HeadEvaluation evaluate(Progress progress) throws SextantException;
}
