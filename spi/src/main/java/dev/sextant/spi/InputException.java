package dev.sextant.spi;

/**
 * A request's input is unusable (empty, too long, not encodable). Maps to HTTP 400 and exit code 2;
 * the message says which input and, where it applies, which token position.
 */
public class InputException extends SextantException {

    public InputException(String message) {
        super(message);
    }
}
