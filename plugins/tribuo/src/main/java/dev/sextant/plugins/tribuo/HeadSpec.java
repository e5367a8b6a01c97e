package dev.sextant.plugins.tribuo;

import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.model.Encoder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.Tribuo;

/**
 * A head's config after validation: resolved files and their checksums, the trainer, the cache
 * folder and the cache key.
 *
 * @param name the component name
 * @param config the options as written
 * @param trainer the trainer (the config's, or the task's default)
 * @param encoder the encoder component
 * @param data the training data file
 * @param dataSha256 its checksum when the head was created
 * @param evaluation the evaluation file, or {@code null}
 * @param evaluationSha256 its checksum, or {@code null}
 * @param cacheDir the cache folder ({@code heads.cache-dir})
 * @param settings every setting that decides the trained model ({@link Trainers#settings})
 * @param threshold the multi-label decision threshold in effect
 * @param cacheKey the trained model's cache key
 */
record HeadSpec(
        String name, TribuoHeadConfig config, TrainerKind trainer, Encoder encoder, Path data, String dataSha256,
        Path evaluation, String evaluationSha256, Path cacheDir, Map<String, Object> settings, double threshold,
        String cacheKey) {

    HeadTask task() {
        return config.task();
    }

    ServingRuntime runtime() {
        return config.runtime();
    }

    /**
     * The cache key: SHA-256 over the cache format, the training settings (task, trainer and its
     * options, columns, split, seed), the data and evaluation files' checksums, the encoder's
     * identity (name, dimension, provenance sorted by key) and the Tribuo version. The serving
     * runtime and the threshold are not part of it: they do not change the trained model.
     */
    static String cacheKey(Map<String, Object> settings, String dataSha256, String evaluationSha256,
            Encoder encoder) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("format", ModelCache.FORMAT);
        parts.put("settings", settings);
        parts.put("data", dataSha256);
        parts.put("evaluation", evaluationSha256 == null ? "none" : evaluationSha256);
        parts.put("encoder", EmbeddingCache.encoderIdentity(encoder));
        parts.put("tribuo", Tribuo.VERSION);
        return Hashing.sha256(parts.toString());
    }
}
