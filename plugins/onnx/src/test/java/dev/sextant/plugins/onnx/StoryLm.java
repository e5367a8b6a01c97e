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

    /** Loads story-lm with one intra-op thread. */
    static OnnxCausalLm load() throws Exception {
        return OnnxCausalLmFactory.load(folder(), new OnnxCausalLmConfig(folder().toString(), 1, 1, 8, 1));
    }

    static int[] ints(com.google.gson.JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    static float[] floats(com.google.gson.JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
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
