package dev.sextant.plugins.tribuo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sextant.spi.ModelException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.tribuo.Model;

/**
 * Trained heads on disk: {@code <cache-dir>/models/<key>/} holds {@code model.tribuo} (Tribuo's
 * protobuf serialization), {@code model.onnx} (the ONNX export, once a head served by ONNX Runtime
 * has needed it) and {@code training.json} (the training record and provenance).
 *
 * <p>A folder is written under a temporary name, each file flushed to disk, and then renamed into
 * place in one atomic move, so a crash leaves either no folder or a complete one; leftover
 * temporary folders are never read.
 */
final class ModelCache {

    /** Bumped when the folder's layout or the meaning of a setting changes: every key changes with it. */
    static final int FORMAT = 1;

    static final String MODEL_FILE = "model.tribuo";
    static final String ONNX_FILE = "model.onnx";
    static final String RECORD_FILE = "training.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());

    /** What a cache folder holds. */
    record Stored(Model<?> model, byte[] onnx, Map<String, Object> record) {
    }

    private ModelCache() {
    }

    static Path folder(Path cacheDir, String key) {
        return cacheDir.resolve("models").resolve(key);
    }

    /** The stored head for a key, or {@code null} if there is none or it cannot be read (then it is trained again). */
    static Stored load(Path cacheDir, String key) {
        Path folder = folder(cacheDir, key);
        Path record = folder.resolve(RECORD_FILE);
        Path model = folder.resolve(MODEL_FILE);
        if (!Files.isRegularFile(record) || !Files.isRegularFile(model)) {
            return null;
        }
        try {
            Map<String, Object> fields = JSON.readValue(record.toFile(), new TypeReference<Map<String, Object>>() { });
            if (!Integer.valueOf(FORMAT).equals(fields.get("format"))) {
                return null;
            }
            Model<?> loaded = Model.deserializeFromFile(model);
            Path onnx = folder.resolve(ONNX_FILE);
            byte[] onnxBytes = Files.isRegularFile(onnx) ? Files.readAllBytes(onnx) : null;
            return new Stored(loaded, onnxBytes, fields);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the cached head " + folder + " (" + e
                    + "); it will be trained again");
            return null;
        }
    }

    /** Stores a trained head under its key, replacing what was there. */
    static void store(Path cacheDir, String key, Model<?> model, byte[] onnx, Map<String, Object> record)
            throws ModelException {
        Path models = cacheDir.resolve("models");
        Path temp = null;
        try {
            Files.createDirectories(models);
            temp = Files.createTempDirectory(models, ".tmp-" + key.substring(0, 12) + "-");
            model.serializeToFile(temp.resolve(MODEL_FILE));
            sync(temp.resolve(MODEL_FILE));
            if (onnx != null) {
                Files.write(temp.resolve(ONNX_FILE), onnx);
                sync(temp.resolve(ONNX_FILE));
            }
            JSON.writeValue(temp.resolve(RECORD_FILE).toFile(), record);
            sync(temp.resolve(RECORD_FILE));
            Path target = folder(cacheDir, key);
            Path old = null;
            if (Files.exists(target)) {
                old = models.resolve(".old-" + key.substring(0, 12) + "-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new ModelException("cannot write the trained head to the cache folder " + models + ": " + e, e);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    /** Adds the ONNX export to a stored head that was cached without one. */
    static void addOnnx(Path cacheDir, String key, byte[] onnx) {
        Path folder = folder(cacheDir, key);
        try {
            Path temp = Files.createTempFile(folder, ".tmp-", ".onnx");
            try {
                Files.write(temp, onnx);
                sync(temp);
                Files.move(temp, folder.resolve(ONNX_FILE), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot add the ONNX export to " + folder + ": " + e);
        }
    }

    /**
     * The map as it will read back from {@code training.json}, so that a freshly trained head and
     * one loaded from the cache report equal provenance (JSON has one kind of integer).
     */
    static Map<String, Object> asStored(Map<String, Object> map) {
        try {
            return JSON.readValue(JSON.writeValueAsBytes(map), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("provenance is plain data and always converts to JSON", e);
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
