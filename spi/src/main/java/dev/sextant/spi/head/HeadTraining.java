package dev.sextant.spi.head;

import java.util.Map;

/**
 * What training (or loading from the cache) gave.
 *
 * @param head the head's component name
 * @param task what it predicts
 * @param trainer the trainer, as the config names it
 * @param rows training rows
 * @param fromCache whether the model was loaded from the cache instead of trained
 * @param seconds wall time, including embedding the data
 * @param cacheKey the key the model is cached under
 * @param runtime what serves predictions: {@code tribuo} or {@code onnx}
 * @param provenance where the model came from: data files and checksums, trainer settings, library
 *     versions, encoder identity
 */
public record HeadTraining(
        String head, HeadTask task, String trainer, int rows, boolean fromCache, double seconds,
        String cacheKey, String runtime, Map<String, Object> provenance) {

    public HeadTraining {
        provenance = Map.copyOf(provenance);
    }
}
