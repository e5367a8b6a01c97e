package dev.sextant.plugins.onnx;

import dev.sextant.spi.ConfigException;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * How an encoder turns a text's token vectors into one vector ({@code pooling} of
 * {@code onnx-encoder}). Both read only the text's own tokens, never padding, so a text gives the
 * same vector in any batch.
 */
enum Pooling {

    /** The average of the text's token vectors, special tokens included (sentence-transformers' mean pooling). */
    MEAN,
    /** The first token's vector ({@code [CLS]} in BERT-style models). */
    CLS;

    /** The option's spelling: {@code mean}, {@code cls}. */
    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the {@code pooling} option; an unknown value is an error naming the option and the choices. */
    static Pooling parse(String value) throws ConfigException {
        String given = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Pooling pooling : values()) {
            if (pooling.optionValue().equals(given)) {
                return pooling;
            }
        }
        throw new ConfigException("pooling", "unknown pooling '" + value + "'; choose mean or cls");
    }

    /**
     * Pools one row of a {@code [rows, seq, hidden]} output.
     *
     * @param hidden the output, read with absolute indices (its position is left alone)
     * @param start index of the row's first token vector
     * @param tokens the row's real tokens (its padding follows them and is not read); at least one
     * @param dim the hidden size
     */
    float[] pool(FloatBuffer hidden, int start, int tokens, int dim) {
        float[] out = new float[dim];
        if (this == CLS) {
            hidden.get(start, out, 0, dim);
            return out;
        }
        // summed in double so that the mean does not depend on how many tokens are added in float
        double[] sum = new double[dim];
        for (int t = 0; t < tokens; t++) {
            int at = start + t * dim;
            for (int d = 0; d < dim; d++) {
                sum[d] += hidden.get(at + d);
            }
        }
        for (int d = 0; d < dim; d++) {
            out[d] = (float) (sum[d] / tokens);
        }
        return out;
    }

    /** Scales {@code v} to length 1 in place, as torch's {@code F.normalize} does (a zero vector stays zero). */
    static void normalize(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (v[d] / norm);
        }
    }
}
