package dev.sextant.plugins.tribuo;

import dev.sextant.spi.RunLimits;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import dev.sextant.spi.model.ModelInfo;
import dev.sextant.spi.model.Tokenizer;
import dev.sextant.spi.testing.ByteTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic test encoder: hashed bag of words (FNV-1a of each lower-cased word, modulo the
 * dimension), raw counts. Counts its {@link #embed} calls and texts. Its provenance carries a salt,
 * so that encoders made with different salts have different identities (and so separate entries in
 * the plugin's JVM-wide embedding cache).
 */
final class HashedEncoder implements Encoder {

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger texts = new AtomicInteger();
    private final int dimension;
    private final ModelInfo info;
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    HashedEncoder(int dimension, String salt) {
        this.dimension = dimension;
        this.info = new ModelInfo("hashed-bow", "test", ByteTokenizer.VOCAB, 512, Set.of(), -1, -1,
                Map.of("kind", "hashed bag of words", "dimension", Integer.toString(dimension), "salt", salt));
    }

    /** A 64-dimensional encoder with a fresh identity. */
    static HashedEncoder fresh() {
        return new HashedEncoder(64, UUID.randomUUID().toString());
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Embeddings embed(List<String> batch, RunLimits limits) {
        calls.incrementAndGet();
        texts.addAndGet(batch.size());
        float[][] pooled = new float[batch.size()][];
        for (int i = 0; i < pooled.length; i++) {
            pooled[i] = vector(batch.get(i));
        }
        return new Embeddings(pooled, null, List.of());
    }

    /** Embeds without counting (for tests that compute expectations). */
    float[][] vectors(List<String> batch) {
        float[][] out = new float[batch.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(batch.get(i));
        }
        return out;
    }

    float[] vector(String text) {
        float[] v = new float[dimension];
        for (String word : words(text)) {
            int h = 0x811c9dc5;
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xFF;
                h *= 0x01000193;
            }
            v[Math.floorMod(h, dimension)] += 1f;
        }
        return v;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
    }

}
