package dev.sextant.plugins.tribuo;

import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.ModelException;
import dev.sextant.spi.Progress;
import dev.sextant.spi.RunLimits;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.model.Embeddings;
import dev.sextant.spi.model.Encoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pooled encoder vectors of a data file's texts, cached per (encoder identity, file checksum, text
 * column): in memory for the life of the plugin (shared by every head, computed once even when
 * several heads ask at once) and on disk under {@code <cache-dir>/embeddings/} as a small binary
 * float file, so a second head or a second start does not embed again.
 */
final class EmbeddingCache {

    /** Texts per {@link Encoder#embed} call. */
    static final int CHUNK = 64;

    private static final int MAGIC = 0x53584531; // "SXE1"
    private static final int HEADER_BYTES = 12;
    private static final Map<String, Slot> MEMORY = new ConcurrentHashMap<>();

    /** Rows of one file to embed: where they come from, for progress and errors. */
    record Source(String key, String fileName, String sha256, String textColumn, List<DataRow> rows) {
    }

    private EmbeddingCache() {
    }

    /** The encoder's identity as the cache sees it: name, dimension and what decides its vectors, sorted. */
    static Map<String, String> encoderIdentity(Encoder encoder) {
        Map<String, String> identity = new TreeMap<>(encoder.identity());
        identity.put("@name", encoder.info().name());
        identity.put("@dimension", Integer.toString(encoder.dimension()));
        return identity;
    }

    /** The cache key of a file's vectors. */
    static String key(Encoder encoder, String fileSha256, String textColumn) {
        return Hashing.sha256("embeddings-v1\n" + encoderIdentity(encoder) + "\n" + fileSha256 + "\n" + textColumn);
    }

    /**
     * The vectors of {@code source}'s rows, in row order: from memory, from disk, or by embedding
     * them (then stored in both).
     */
    static float[][] vectors(Encoder encoder, Path cacheDir, Source source, Progress progress)
            throws SextantException {
        String key = key(encoder, source.sha256(), source.textColumn());
        Slot slot = MEMORY.computeIfAbsent(key, k -> new Slot());
        return slot.get(() -> {
            Path file = cacheDir.resolve("embeddings").resolve(key + ".f32");
            float[][] vectors = read(file, source.rows().size(), encoder.dimension());
            if (vectors == null) {
                vectors = embed(encoder, source, progress);
                write(file, vectors);
            } else {
                progress.update("embed " + source.fileName() + " (cached)", vectors.length, vectors.length);
            }
            return vectors;
        });
    }

    /** Forgets the in-memory vectors (tests use this to simulate a second start). */
    static void clearMemory() {
        MEMORY.clear();
    }

    private static float[][] embed(Encoder encoder, Source source, Progress progress) throws SextantException {
        List<DataRow> rows = source.rows();
        int dimension = encoder.dimension();
        float[][] out = new float[rows.size()][];
        String stage = "embed " + source.fileName();
        progress.update(stage, 0, rows.size());
        for (int from = 0; from < rows.size(); from += CHUNK) {
            int to = Math.min(rows.size(), from + CHUNK);
            List<DataRow> chunk = rows.subList(from, to);
            Embeddings embeddings;
            try {
                embeddings = encoder.embed(DataFiles.texts(chunk), RunLimits.DEFAULT);
            } catch (InputException e) {
                throw new ConfigException(source.key(), source.fileName() + " lines " + chunk.get(0).line() + "-"
                        + chunk.get(chunk.size() - 1).line() + ": the encoder refused a text: " + e.getMessage());
            }
            float[][] pooled = embeddings.pooled();
            if (pooled == null || pooled.length != chunk.size()) {
                throw new ModelException("the encoder returned " + (pooled == null ? "no" : pooled.length)
                        + " pooled vectors for " + chunk.size() + " texts of " + source.fileName());
            }
            for (int i = 0; i < pooled.length; i++) {
                if (pooled[i].length != dimension) {
                    throw new ModelException("the encoder returned a " + pooled[i].length + "-dimensional vector for "
                            + source.fileName() + " line " + chunk.get(i).line() + " but says its dimension is "
                            + dimension);
                }
                out[from + i] = pooled[i];
            }
            progress.update(stage, to, rows.size());
        }
        return out;
    }

    private static float[][] read(Path file, int rows, int dimension) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = HEADER_BYTES + 4L * rows * dimension;
            if (channel.size() != expected) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // fill
            }
            buffer.flip();
            if (buffer.getInt() != MAGIC || buffer.getInt() != rows || buffer.getInt() != dimension) {
                return null;
            }
            float[][] vectors = new float[rows][dimension];
            for (float[] vector : vectors) {
                buffer.asFloatBuffer().get(vector);
                buffer.position(buffer.position() + 4 * dimension);
            }
            return vectors;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: embed again and overwrite
        }
    }

    private static void write(Path file, float[][] vectors) {
        int dimension = vectors.length == 0 ? 0 : vectors[0].length;
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + 4 * vectors.length * dimension)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt(vectors.length).putInt(dimension);
        for (float[] vector : vectors) {
            buffer.asFloatBuffer().put(vector);
            buffer.position(buffer.position() + 4 * dimension);
        }
        buffer.flip();
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".f32");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // The disk copy only saves time; the vectors stay cached in memory.
            System.getLogger(EmbeddingCache.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot write the embedding cache file " + file + ": " + e.getMessage());
        }
    }

    /** Computes its vectors once; a failed computation is retried by the next caller. */
    private static final class Slot {

        private float[][] vectors;

        synchronized float[][] get(Loader loader) throws SextantException {
            if (vectors == null) {
                vectors = loader.load();
            }
            return vectors;
        }
    }

    @FunctionalInterface
    private interface Loader {
        float[][] load() throws SextantException;
    }
}
