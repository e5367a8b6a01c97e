package dev.sextant.spi.decode;

/** Receives tokens as a decoder chooses them, for streaming. Called on the decoding thread. */
@FunctionalInterface
public interface TokenListener {

    /** A listener that ignores everything. */
    TokenListener NONE = (row, tokenId, text) -> { };

    /**
     * A token was chosen for a row.
     *
     * @param row the request row
     * @param tokenId the chosen id
     * @param text the new text this token completes; may be empty while a multi-byte character or a
     *     possible stop string is still incomplete, and may cover earlier tokens' text
     */
    void onToken(int row, int tokenId, String text);
}
