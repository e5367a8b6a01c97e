package dev.sextant.spi.model;

/**
 * The token classification of one text.
 *
 * @param encoding the text's tokens, with offsets and word ids (special tokens included)
 * @param probabilities {@code [token][label]}: the softmax over labels at each token; rows of
 *     special tokens are there too (callers skip tokens whose word id is -1)
 */
public record TokenLabels(Encoding encoding, float[][] probabilities) {

    public TokenLabels {
        if (probabilities.length != encoding.size()) {
            throw new IllegalArgumentException("one row of probabilities per token: " + probabilities.length
                    + " rows for " + encoding.size() + " tokens");
        }
    }
}
