package dev.sextant.spi;

/**
 * Root of Sextant's checked errors. The message is meant for a user: it says what was wrong,
 * where, and, when it can, how to fix it.
 */
public class SextantException extends Exception {

    public SextantException(String message) {
        super(message);
    }

    public SextantException(String message, Throwable cause) {
        super(message, cause);
    }
}
