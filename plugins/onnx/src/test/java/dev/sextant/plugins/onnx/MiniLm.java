package dev.sextant.plugins.onnx;

import java.util.ArrayList;
import java.util.List;

/** The built-in all-MiniLM-L6-v2 encoder with chosen settings, and vector arithmetic for its tests. */
final class MiniLm {

    private MiniLm() {
    }

    /** Settings of the built-in model with one intra-op thread. */
    static OnnxEncoderConfig config(String pooling, boolean normalize, int maxLength, int maxBatchSize,
            boolean tokenEmbeddings) {
        return new OnnxEncoderConfig(null, pooling, normalize, maxLength, maxBatchSize, 512, tokenEmbeddings, 1, 1);
    }

    /** The built-in model with every option at its default. */
    static OnnxEncoder load() throws Exception {
        return OnnxEncoderFactory.loadBuiltIn(OnnxEncoderConfig.defaults());
    }

    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double cosine(float[] a, float[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }

    /**
     * {@code n} texts of 1 to about 60 words, in no order of length, so that batches sorted by length
     * differ from the caller's order.
     */
    static List<String> textsOfManyLengths(int n) {
        String[] words = ("the quick brown fox jumps over a lazy dog while seven sailors watch the harbour lights "
                + "and a small bird sings about rain, tea, engines, maps and the colour of autumn leaves").split(" ");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = 1 + (i * 37) % 60;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < length; w++) {
                text.append(w == 0 ? "" : " ").append(words[(i + w * 3) % words.length]);
            }
            texts.add(text.append('.').toString());
        }
        return texts;
    }
}
