package dev.sextant.spi;

/** A call stopped early because it was cancelled or its deadline passed. */
public class CancelledException extends SextantException {

    public CancelledException(String message) {
        super(message);
    }
}
