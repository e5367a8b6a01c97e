package dev.sextant.plugins.onnx;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the committed story-lm model and its reference files. */
final class StoryLm {

    private StoryLm() {
    }

    static Path root() {
        String root = System.getProperty("sextant.root");
        if (root == null) {
            throw new IllegalStateException("system property sextant.root is not set (surefire sets it)");
        }
        return Path.of(root);
    }

    static Path folder() {
        return root().resolve("models/story-lm");
    }

    static JsonObject json(String file) {
        try {
            return JsonParser.parseString(Files.readString(folder().resolve(file), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
