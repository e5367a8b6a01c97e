package dev.sextant.spi.model;

import java.util.List;

/**
 * The output of one encoder pass over a batch.
 *
 * @param pooled one vector per text ({@code [row][hidden]}), e.g. mean-pooled
 * @param tokens one vector per token ({@code [row][token][hidden]}), or {@code null} if the encoder
 *     only pools
 * @param encodings the tokenization of each text, aligned with {@code tokens}
 */
public record Embeddings(float[][] pooled, float[][][] tokens, List<Encoding> encodings) {

    public Embeddings {
        encodings = List.copyOf(encodings);
    }
}
