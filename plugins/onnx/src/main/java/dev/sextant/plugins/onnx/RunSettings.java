package dev.sextant.plugins.onnx;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ConfigException;
import java.nio.file.Path;

/** The checks every ONNX model type makes of its folder and run settings before loading anything. */
final class RunSettings {

    private RunSettings() {
    }

    /** The model folder named by the {@code path} option, resolved against the pipeline file. */
    static Path folder(String path, ComponentContext context) throws ConfigException {
        if (path == null || path.isBlank()) {
            throw new ConfigException("path", "give the model folder in path");
        }
        return context.resolvePath(path);
    }

    /** Thread counts 0 (ONNX Runtime chooses) or more, and at least one row per call. */
    static void check(int intraOpThreads, int interOpThreads, int maxBatchSize) throws ConfigException {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new ConfigException(intraOpThreads < 0 ? "intra-op-threads" : "inter-op-threads",
                    "thread counts must be 0 (ONNX Runtime chooses) or more");
        }
        if (maxBatchSize < 1) {
            throw new ConfigException("max-batch-size", "max-batch-size must be at least 1");
        }
    }
}
